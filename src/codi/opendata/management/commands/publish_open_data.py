"""Publish (or refresh) CODI's default open datasets: ``manage.py publish_open_data [NAME ...]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.opendata import builders, selectors, services


class Command(BaseCommand):
    help = "Publish or refresh open datasets (default: the aggregate datasets CODI publishes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help="builder names (default: the aggregate datasets)")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="skip datasets already published (so that make run changes nothing the second time)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["names"] or list(builders.DEFAULT_BUILDERS)
        if options["if_missing"]:
            published = set(selectors.published_datasets().values_list("name", flat=True))
            for name in sorted(published & set(names)):
                self.stdout.write(f"{name}: already published")
            names = [n for n in names if n not in published]
            if not names:
                return
        refused = 0
        for name in names:
            try:
                outcome = services.dataset_publish(actor=None, name=name)
            except services.UnknownDatasetError:
                raise CommandError(f"no dataset builder named {name!r}") from None
            except services.PublishRefusedError as refusal:
                refused += 1
                self.stderr.write(f"{name}: refused: {refusal.message}")
                continue
            self.stdout.write(f"{name}: published version {outcome.dataset.version}, {outcome.rows} rows")
        if refused == len(names):
            raise CommandError("every dataset was refused")
