from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.people.demo_training import describe, training_demo_load


class Command(BaseCommand):
    help = (
        "Load the training demo (after load_people_demo): course evaluations, certificates, the unit "
        "heads' and the demo accounts' digital-skill assessments."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for line in describe(training_demo_load()):
            (self.stderr if line.startswith("error") else self.stdout).write(line)
