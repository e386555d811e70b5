"""Erase or anonymise one person's data everywhere, keeping what a named retention rule requires."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from codi.privacy import retention, services
from codi.privacy.management.commands.dsr_export import refusal
from codi.privacy.models import RequestKind


class Command(BaseCommand):
    help = (
        "Erase or anonymise a person's data (PDPA s.33). --dry-run prints what would be erased, "
        "anonymised or kept (and under which rule) and changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--national-id", required=True)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["dry_run"]:
                person = services.person_for(options["national_id"])
                result = services.person_erase(actor=None, person=person, dry_run=True)
            else:
                request = services.dsr_command_request(
                    national_id=options["national_id"], kind=RequestKind.ERASURE
                )
                result = services.dsr_erase(actor=None, request=request)
        except ValidationError as exc:
            raise refusal(exc) from None
        verb = {"erase": "would erase", "anonymise": "would anonymise", "keep": "would keep"}
        if not result.dry_run:
            verb = {"erase": "erased", "anonymise": "anonymised", "keep": "kept"}
        for o in result.outcomes:
            fields = f" [{', '.join(o.fields)}]" if o.fields else ""
            rule = f" — rule {o.rule}" if o.rule else ""
            why = f": {o.reason}" if o.reason else ""
            self.stdout.write(f"{verb[o.action]} {o.dataset} #{o.record}{fields}{rule}{why}")
        rules = sorted({o.rule for o in result.outcomes if o.rule})
        for rule in rules:
            self.stdout.write(f"rule {rule}: {retention.LEGAL_RULES[rule]}")
        summary = result.summary()["counts"]
        self.stdout.write(
            ("DRY RUN, nothing changed: " if result.dry_run else "done: ")
            + ", ".join(f"{k}={v}" for k, v in sorted(summary.items()))
        )
