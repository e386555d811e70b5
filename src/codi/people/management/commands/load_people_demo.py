from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.people import demo_time
from codi.people.demo import describe, people_demo_load


class Command(BaseCommand):
    help = (
        "Load the people demo (after load_demo and load_finance_demo): staff, leave, a payroll run, training."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for line in describe(people_demo_load()):
            (self.stderr if line.startswith("error") else self.stdout).write(line)
        # payroll's back pay and payslip e-mail, the time clock, dependants (codi.people.demo_time)
        for line in demo_time.describe(demo_time.time_demo_load()):
            (self.stderr if line.startswith("error") else self.stdout).write(line)
