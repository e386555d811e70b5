"""Month-end interest accrual of the loan book (run monthly from cron or the task worker)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from codi.identity.models import User
from codi.lending import accruals
from codi.lending.services import LendingError


class Command(BaseCommand):
    help = (
        "Accrue the interest earned and not yet received by a month's end on every active loan "
        "(posted and reversed the next day). Running a month again changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", required=True, help="sign-in name of a country-wide finance officer")
        parser.add_argument("--month", default="", help="YYYY-MM (default: the last month that ended)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"ไม่พบผู้ใช้ {options['user']}")
        month = options["month"] or accruals.last_ended_month()
        try:
            outcome = accruals.accrue_month(actor=actor, month=month)
        except PermissionDenied:
            raise CommandError(f"ผู้ใช้ {actor.username} ไม่มีสิทธิ์ตั้งดอกเบี้ยค้างรับทั้งประเทศ (lending.cash)") from None
        except LendingError as exc:
            raise CommandError(exc.message_th) from None
        run = outcome.run
        state = "ตั้งค้างรับแล้ว" if outcome.created else "เคยตั้งค้างรับแล้ว ไม่บันทึกซ้ำ"
        self.stdout.write(f"{run.month_end.isoformat()}: {state} {run.loans} สัญญา {run.amount:,.2f} บาท")
