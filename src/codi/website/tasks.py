"""Background work: scheduled publishing, for a scheduler that enqueues it every minute (idempotent).

Wagtail keeps a revision's "go live at" time; its ``publish_scheduled`` command publishes every
revision whose time has come (and unpublishes expired pages). Each publish fires ``page_published``,
which ``codi.website.signals`` writes to the audit trail like a publish from the admin.
"""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled_task() -> str:
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()
