from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from codi.finance import epayment
from codi.finance.ledger import FinanceError


class Command(BaseCommand):
    help = (
        "Write an ISO 20022 pain.001.001.09 credit-transfer file from a CSV of bulk payments "
        "(columns payee_name,bank_code,account_no,amount,reference). Every row error is listed and "
        "nothing is written when there is one; the file is validated against the ISO schema."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--input", required=True, help="the payments CSV (UTF-8)")
        parser.add_argument("--output", required=True, help="the pain.001 XML file to write")
        parser.add_argument("--execution-date", default="", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--message-id", default="", help="MsgId (default: CODI-<timestamp>)")

    def handle(self, *args: Any, **options: Any) -> None:
        source, target = Path(options["input"]), Path(options["output"])
        try:
            text = source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"อ่านไฟล์ไม่ได้ / cannot read {source}: {exc}") from None
        transfers, errors = epayment.parse_payments_csv(text)
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} ข้อผิดพลาด ไม่ได้เขียนไฟล์ / {len(errors)} errors, nothing written")
        now = timezone.localtime()
        try:
            day = timezone.localdate()
            if options["execution_date"]:
                day = date.fromisoformat(options["execution_date"])
            xml = epayment.pain001(
                message_id=options["message_id"] or f"CODI-{now:%Y%m%d%H%M%S}",
                created=now, execution_date=day, transfers=transfers,
            )  # fmt: skip
        except (FinanceError, ValueError) as exc:
            raise CommandError(str(getattr(exc, "message_en", exc))) from None
        target.write_bytes(xml)
        total = sum(t.amount for t in transfers)
        self.stdout.write(
            f"{target}: {len(transfers)} transfers, total {total:.2f} THB (pain.001.001.09, valid)"
        )
