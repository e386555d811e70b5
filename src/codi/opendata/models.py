"""Open data: published datasets, their resources, and where each resource's rows live.

A dataset is made by a registered builder (``codi.opendata.builders``); publishing materialises
the builder's rows into a table of its own (``Resource.table_name``, created and dropped by
``codi.opendata.datastore``), so ``datastore_search`` filters, pages and searches over indexed
columns. Only ``status = published`` is ever shown to the public.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DatasetStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    REFUSED = "refused", _("Refused")


class DataType(models.TextChoices):
    """The DGA catalog's "data type" (ประเภทข้อมูล)."""

    STATISTICS = "statistics", _("Statistical data")
    RECORD = "record", _("Record-level data")
    GEOGRAPHIC = "geographic", _("Geographic data")
    OTHER = "other", _("Other data")


class UpdateFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    ON_CHANGE = "on_change", _("When the data changes")


class Dataset(models.Model):
    """One published (or refused, or withdrawn) open dataset, named after its builder."""

    ckan_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.SlugField(_("name"), max_length=100, unique=True)
    title_th = models.CharField(_("Thai title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    objective = models.TextField(_("objective"), blank=True)
    data_type = models.CharField(_("data type"), max_length=20, choices=DataType.choices)
    data_category = models.CharField(_("data category"), max_length=100, blank=True)
    geographic_coverage = models.CharField(_("geographic coverage"), max_length=100, blank=True)
    update_frequency = models.CharField(_("update frequency"), max_length=20, choices=UpdateFrequency.choices)
    license_id = models.CharField(_("licence"), max_length=50)
    harvest_permission = models.BooleanField(_("harvest permitted"), default=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    quasi_identifiers = models.JSONField(_("quasi-identifiers"), default=list, blank=True)
    k_threshold = models.PositiveSmallIntegerField(_("k-anonymity threshold"), default=5)
    status = models.CharField(_("status"), max_length=20, choices=DatasetStatus.choices)
    refusal = models.JSONField(_("reason refused"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    metadata_created = models.DateTimeField(default=timezone.now)
    metadata_modified = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title_th


class Resource(models.Model):
    """The table of a dataset, readable through datastore_search and the downloads."""

    ckan_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("name"), max_length=300)
    # The live table; empty while the dataset has no rows published (refused or unpublished).
    table_name = models.CharField(max_length=63, blank=True)
    fields = models.JSONField(default=list)  # [{"id", "type", "label_th", "label_en"}]
    row_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    last_modified = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dataset", "id"]

    def __str__(self) -> str:
        return self.name
