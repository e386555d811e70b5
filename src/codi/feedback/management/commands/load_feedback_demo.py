"""Demo feedback tickets (flagged ``is_demo``): reports from the labelled topic set, spread over
subdistricts of a few provinces, some moved along the status flow. Fixed seed; runs once."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from codi.areas.models import Subdistrict
from codi.feedback import services
from codi.feedback.models import IntakeChannel, Status, Ticket
from codi.feedback.nlp import training

SEED = 2569
COUNT = 120
PROVINCES = ("40", "41", "44", "50", "10", "90")
FLOW = (Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED)


class Command(BaseCommand):
    help = "Add demo feedback tickets (once; skipped when demo tickets exist)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=COUNT)

    def handle(self, *args: Any, **options: Any) -> None:
        if Ticket.objects.filter(is_demo=True).exists():
            self.stdout.write("demo feedback already loaded")
            return
        rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
        texts, _ = training.read_labelled(training.TOPIC_DATA, "topic")
        areas = list(
            Subdistrict.objects.filter(district__province_id__in=PROVINCES).values_list("code", flat=True)
        )
        if not areas:
            self.stdout.write("no areas loaded: run load_areas first")
            return
        now = timezone.now()
        created = 0
        for _ in range(options["count"]):
            when = now - timedelta(days=rng.randint(0, 120), hours=rng.randint(0, 23))
            submission = services.ticket_submit(
                text=rng.choice(texts),
                channel=rng.choice(
                    [IntakeChannel.WEB, IntakeChannel.LINE, IntakeChannel.PHONE, IntakeChannel.SOCIAL]
                ),
                subdistrict_code=rng.choice(areas),
                now=when,
                is_demo=True,
            )
            created += 1
            ticket = submission.ticket
            owner = ticket.assigned_to
            steps = rng.randint(0, len(FLOW))
            if owner is None:
                continue
            for step, status in enumerate(FLOW[:steps], start=1):
                services.ticket_transition(
                    actor=owner, ticket_id=ticket.pk, to_status=status, now=when + timedelta(days=step)
                )
        self.stdout.write(f"created {created} demo feedback tickets")
