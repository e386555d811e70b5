"""Configure the public holidays SLA counting skips: list, add one, or load a year's defaults."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.feedback import services
from codi.feedback.models import Holiday

# Thai public holidays of 2026 (B.E. 2569) as expected from the lunar calendar; check them against the
# Cabinet announcement and fix with --add (it renames) each year.
DEFAULTS_2026 = [
    ("2026-01-01", "วันขึ้นปีใหม่"),
    ("2026-03-03", "วันมาฆบูชา"),
    ("2026-04-06", "วันจักรี"),
    ("2026-04-13", "วันสงกรานต์"),
    ("2026-04-14", "วันสงกรานต์"),
    ("2026-04-15", "วันสงกรานต์"),
    ("2026-05-01", "วันแรงงานแห่งชาติ"),
    ("2026-05-04", "วันฉัตรมงคล"),
    ("2026-05-31", "วันวิสาขบูชา"),
    ("2026-06-01", "ชดเชยวันวิสาขบูชา"),
    ("2026-06-03", "วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี"),
    ("2026-07-28", "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    ("2026-07-29", "วันอาสาฬหบูชา"),
    ("2026-07-30", "วันเข้าพรรษา"),
    ("2026-08-12", "วันแม่แห่งชาติ"),
    ("2026-10-13", "วันนวมินทรมหาราช"),
    ("2026-10-23", "วันปิยมหาราช"),
    ("2026-12-05", "วันพ่อแห่งชาติ"),
    ("2026-12-10", "วันรัฐธรรมนูญ"),
    ("2026-12-31", "วันสิ้นปี"),
]


class Command(BaseCommand):
    help = "List holidays; --add YYYY-MM-DD NAME; --load-2026 for the 2026 (B.E. 2569) defaults."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--add", nargs=2, metavar=("DATE", "NAME"))
        parser.add_argument("--load-2026", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["add"]:
            raw, name = options["add"]
            try:
                day = date.fromisoformat(raw)
            except ValueError as exc:
                raise CommandError(f"not a date: {raw}") from exc
            services.holiday_set(actor=None, day=day, name=name)
        if options["load_2026"]:
            for raw, name in DEFAULTS_2026:
                services.holiday_set(actor=None, day=date.fromisoformat(raw), name=name)
        for holiday in Holiday.objects.all():
            self.stdout.write(f"{holiday.date} {holiday.name}")
