"""``manage.py load_projects_demo [--count N]``: the labelled demo projects (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.projects.generator import DEMO_PROJECTS, projects_demo_load


class Command(BaseCommand):
    help = "Load about 5,000 generated demo projects (marked is_demo); a second run adds nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=DEMO_PROJECTS)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            summary = projects_demo_load(count=options["count"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if summary.projects == 0:
            self.stdout.write("demo projects already loaded; nothing added")
            return
        self.stdout.write(
            f"demo projects: {summary.projects:,} projects, {summary.budget_lines} budget lines, "
            f"{summary.installments:,} installments, {summary.disbursements:,} disbursements, "
            f"{summary.reports:,} reports, {summary.steps:,} steps in {time.monotonic() - started:.1f} s; "
            f"demo_leader's organization: {summary.portal_organization}"
        )
