"""Everything about one person, as JSON (and PDF), for the DPO answering an access request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from codi.privacy import services
from codi.privacy.models import RequestKind


def refusal(exc: ValidationError) -> CommandError:
    messages = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
    return CommandError(" ".join(m for group in messages for m in group))


class Command(BaseCommand):
    help = "Export everything the platform holds about a person (access request, PDPA s.30) as JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--national-id", required=True)
        parser.add_argument("--output", required=True, help="FILE.json")
        parser.add_argument("--pdf", default="", help="also write the export as PDF to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            request = services.dsr_command_request(
                national_id=options["national_id"], kind=RequestKind.ACCESS
            )
            export = services.dsr_access(actor=None, request=request)
        except ValidationError as exc:
            raise refusal(exc) from None
        output = Path(options["output"])
        output.write_text(
            json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        if options["pdf"]:
            Path(options["pdf"]).write_bytes(services.dsr_export_pdf(export))
        total = sum(export["counts"].values())
        self.stdout.write(f"DSR-{request.pk}: {total} records written to {output}")
