"""Community organizations, each tied to the subdistrict it serves."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.areas.models import Subdistrict


class OrgType(models.TextChoices):
    COMMUNITY_ORGANIZATION = "community_org", _("Community organization")
    NETWORK = "network", _("Community network")
    COUNCIL = "council", _("Subdistrict community council")
    WELFARE_FUND = "welfare_fund", _("Community welfare fund")
    SAVINGS_GROUP = "savings_group", _("Savings group")
    HOUSING_COOP = "housing_coop", _("Housing cooperative / Baan Mankong group")
    ENTERPRISE = "enterprise", _("Community enterprise")
    OTHER = "other", _("Other")


class OrgStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DISSOLVED = "dissolved", _("Dissolved")


class Organization(models.Model):
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    org_type = models.CharField(_("type"), max_length=20, choices=OrgType.choices)
    registration_no = models.CharField(_("registration number"), max_length=50, blank=True, db_index=True)
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="organizations")
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subdistrict", "id"], name="org_subdistrict_id")]

    def __str__(self) -> str:
        return self.name_th
