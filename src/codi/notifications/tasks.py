"""Delivery in the background: takes an id, calls the service (idempotent; retries are scheduled there)."""

from __future__ import annotations

from django_tasks import task

from codi.notifications import services


@task()
def deliver_notification_task(notification_id: int) -> None:
    services.notification_deliver(notification_id=notification_id)
