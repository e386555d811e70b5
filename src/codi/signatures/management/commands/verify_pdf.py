from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.signatures import services
from codi.signatures.pades import SignatureReport


def _mark(ok: bool) -> str:
    return "yes" if ok else "NO"


class Command(BaseCommand):
    help = "Verify every signature in a PDF; exit 0 only when every signature is valid and trusted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="signed PDF")

    def _print(self, index: int, s: SignatureReport) -> None:
        w = self.stdout.write
        w(f"Signature {index}: {s.field_name}  {'VALID' if s.is_valid else 'INVALID'}")
        w(f"  signer:            {s.signer_name}" + (f" ({s.signer_position})" if s.signer_position else ""))
        w(f"  certificate:       {s.signer_serial} issued by {s.issuer_name}")
        w(f"  signing time:      {s.signing_time.isoformat() if s.signing_time else '-'}")
        ts = s.timestamp.isoformat() if s.timestamp else "-"
        w(f"  timestamp:         {ts} (trusted: {_mark(s.timestamp_trusted)})")
        w(f"  integrity intact:  {_mark(s.is_intact)}")
        w(f"  trusted chain:     {_mark(s.is_trusted)}")
        revoked = f" at {s.revoked_at.isoformat()}" if s.revoked_at else ""
        w(f"  revocation:        {s.revocation_status}{revoked}")
        w(f"  changes after:     {s.modification_level or '-'} (coverage: {s.coverage or '-'})")
        if s.is_certification:
            w("  certification signature (document locked)")
        w(f"  LTV data embedded: {_mark(s.has_validation_data)}")
        for problem in s.problems:
            w(f"  problem: {problem}")
        if s.detail:
            w(f"  detail: {s.detail}")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror}") from exc
        try:
            report = services.pdf_verify(pdf=data)
        except (services.PdfRejectedError, services.PkiError) as exc:
            raise CommandError(f"{exc.thai} / {exc.english}") from exc
        if not report.signatures:
            self.stdout.write("No signatures in this PDF.")
        for index, signature in enumerate(report.signatures, start=1):
            self._print(index, signature)
        self.stdout.write(
            "RESULT: " + ("every signature is valid and trusted" if report.is_valid else "NOT VALID")
        )
        if not report.is_valid:
            sys.exit(1)
