from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.finance import epayment
from codi.finance.ledger import FinanceError


class Command(BaseCommand):
    help = (
        "Write a one-time Thai QR payment code as a PNG: --kind promptpay --id MOBILE_OR_13_DIGIT_ID, or "
        "--kind billpayment --id 15_DIGIT_BILLER_ID --ref1 R1 [--ref2 R2]; --amount N (>0, ≤2 decimals)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", required=True, choices=["promptpay", "billpayment"])
        parser.add_argument("--id", required=True, dest="target")
        parser.add_argument("--ref1", default="")
        parser.add_argument("--ref2", default="")
        parser.add_argument("--amount", required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["kind"] == "promptpay":
                payload = epayment.promptpay_payload(target=options["target"], amount=options["amount"])
            else:
                payload = epayment.billpayment_payload(
                    biller_id=options["target"],
                    ref1=options["ref1"],
                    ref2=options["ref2"],
                    amount=options["amount"],
                )
        except FinanceError as exc:
            raise CommandError(f"{exc.message_th} / {exc.message_en}") from None
        epayment.qr_png(payload, Path(options["output"]))
        self.stdout.write(payload)
