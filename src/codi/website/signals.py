"""Wagtail's publishing signals into the platform's audit trail; CMS roles refreshed at sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageLogEntry
from wagtail.signals import (
    page_published,
    page_unpublished,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from codi.core.audit import recorded as audit_recorded
from codi.website import indexing, live, pagecache, services


def _published(sender: Any, instance: Any, revision: Any = None, **kwargs: Any) -> None:
    # Wagtail sends page_published for a revision scheduled to go live later too: the page is not
    # live yet then, and the entry says "scheduled"; publish_scheduled later sends it again, live.
    actor = getattr(revision, "user", None)
    extra: dict[str, Any] = {"revision": revision.pk} if revision is not None else {}
    if getattr(instance, "go_live_at", None):
        extra["go_live_at"] = instance.go_live_at.isoformat()
    action = "published" if instance.live else "scheduled"
    services.record_page_event(actor=actor, action=action, page=instance, **extra)
    if instance.live:
        services.search_index_after_commit(page_ids=[instance.pk])


def _unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    services.record_page_event(actor=kwargs.get("user"), action="unpublished", page=instance)
    services.search_index_after_commit(page_ids=[instance.pk], remove=True)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        services.search_index_after_commit(page_ids=[instance.pk], remove=True)


def _source_changed(sender: Any, **kwargs: Any) -> None:
    """A row of an app that feeds a live block changed: bump that source's version.

    Bumped now (this process's next render) and again after the commit (a render that read the old
    rows between the two cannot keep them under the new version).
    """
    _bump_app(getattr(getattr(sender, "_meta", None), "app_label", ""))


def _bump_app(app_label: str) -> None:
    source = live.SOURCES.get(app_label)
    if source is None:
        return
    live.bump(source)
    transaction.on_commit(lambda: live.bump(source), robust=True)


def _write_audited(sender: Any, object_type: str = "", **kwargs: Any) -> None:
    """An audited write of a feeding app, e.g. procurement's bulk plan publication (an ``update()``
    that sends no ``post_save``): bump that source's version as a save would."""
    _bump_app(object_type.partition(".")[0])


def _page_logged(sender: Any, **kwargs: Any) -> None:
    """Every publishing event writes a page-log entry: cached pages are stale from now and after the commit."""
    pagecache.forget_generation()
    transaction.on_commit(pagecache.forget_generation, robust=True)


def _workflow(action: str) -> Any:
    def receiver(sender: Any, instance: Any, user: Any = None, **kwargs: Any) -> None:
        page = getattr(instance, "content_object", None) or getattr(instance, "page", None)
        if page is not None and hasattr(page, "url_path"):
            services.record_page_event(actor=user, action=action, page=page)

    return receiver


_submitted = _workflow("submitted")
_approved = _workflow("approved")
_rejected = _workflow("rejected")


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.sync_cms_roles(user)


def connect() -> None:
    page_published.connect(_published, dispatch_uid="website_audit_published")
    page_unpublished.connect(_unpublished, dispatch_uid="website_audit_unpublished")
    workflow_submitted.connect(_submitted, dispatch_uid="website_audit_submitted")
    workflow_approved.connect(_approved, dispatch_uid="website_audit_approved")
    workflow_rejected.connect(_rejected, dispatch_uid="website_audit_rejected")
    user_logged_in.connect(_signed_in, dispatch_uid="website_cms_roles")
    post_delete.connect(_deleted, dispatch_uid="website_search_deleted")
    post_save.connect(_source_changed, dispatch_uid="website_live_saved")
    audit_recorded.connect(_write_audited, dispatch_uid="website_live_audited")
    post_save.connect(_page_logged, sender=PageLogEntry, dispatch_uid="website_page_logged")
    post_delete.connect(_source_changed, dispatch_uid="website_live_deleted")
    indexing.register_source()
