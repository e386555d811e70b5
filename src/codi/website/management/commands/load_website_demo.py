from typing import Any

from django.core.management.base import BaseCommand

from codi.website.demo import load_website_demo


class Command(BaseCommand):
    help = "Load the demo public website in Thai (marked as demo) and make it the site's home; safe to rerun."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_website_demo()
        verb = "created" if result.created else "already there"
        self.stdout.write(f"website demo {verb}: {result.pages} pages, home {result.home.url_path}")
