"""GIS Slum: informal settlements mapped as GeoJSON geometry (no PostGIS needed).

The geometry is kept as a GeoJSON dict in WGS84 (EPSG:4326, longitude first) with its bounding
box and a representative point in plain float columns, so a ``bbox`` query is four indexed
comparisons on any database. Every edit bumps ``version`` and keeps the previous state in
``SettlementRevision`` (and an audit entry), so the history of a polygon can be read back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LandOwner(models.TextChoices):
    STATE = "state", _("State agency")
    TREASURY = "treasury", _("Treasury Department")
    CROWN = "crown", _("Crown Property Bureau")
    RAILWAY = "railway", _("State Railway of Thailand")
    RELIGIOUS = "religious", _("Temple or religious body")
    PRIVATE = "private", _("Private owner")
    COMMUNITY = "community", _("Community (collective title)")
    UNKNOWN = "unknown", _("Unknown")


class Tenure(models.TextChoices):
    SECURE = "secure", _("Secure (title or long lease)")
    LEASE = "lease", _("Short lease")
    PERMIT = "permit", _("Temporary permit")
    NONE = "none", _("No right (encroachment)")
    UNKNOWN = "unknown", _("Unknown")


class EvictionRisk(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    UNDER_EVICTION = "under_eviction", _("Under eviction")


# Infrastructure a settlement has access to (a list of these keys in ``infrastructure``).
INFRASTRUCTURE = {
    "water": _("Piped water"),
    "electricity": _("Electricity"),
    "road": _("Road access"),
    "drainage": _("Drainage"),
    "sanitation": _("Toilets and sewage"),
    "waste": _("Waste collection"),
}


class Settlement(models.Model):
    name = models.CharField(_("name"), max_length=200)
    subdistrict = models.ForeignKey("areas.Subdistrict", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "communities.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The Baan Mankong project that upgrades it (a string reference: gis reads projects through selectors).
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    land_owner = models.CharField(_("land owner"), max_length=20, choices=LandOwner.choices)
    tenure = models.CharField(_("tenure security"), max_length=20, choices=Tenure.choices)
    eviction_risk = models.CharField(_("eviction risk"), max_length=20, choices=EvictionRisk.choices)
    infrastructure = models.JSONField(_("infrastructure access"), default=list, blank=True)
    year_surveyed = models.PositiveSmallIntegerField(_("year surveyed (B.E.)"))
    geometry = models.JSONField(_("geometry (GeoJSON, WGS84)"))
    geometry_type = models.CharField(max_length=20)
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    lon = models.FloatField(help_text="a point inside the geometry")
    lat = models.FloatField()
    source = models.CharField(_("source"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["min_lon", "max_lon"], name="gis_settlement_lon"),
            models.Index(fields=["min_lat", "max_lat"], name="gis_settlement_lat"),
            models.Index(fields=["subdistrict", "id"], name="gis_settlement_area"),
            # The last save, read by the change marker (selectors.settlement_change_marker).
            models.Index(fields=["updated_at"], name="gis_settlement_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_lon__lte=models.F("max_lon")) & Q(min_lat__lte=models.F("max_lat")),
                name="gis_settlement_bbox_ordered",
            ),
            models.CheckConstraint(
                condition=Q(min_lon__gte=97) & Q(max_lon__lte=106) & Q(min_lat__gte=5) & Q(max_lat__lte=21),
                name="gis_settlement_in_thailand_box",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SettlementRevision(models.Model):
    """The state of a settlement before an edit (version ``version``), with who changed it and why."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["settlement", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "version"], name="gis_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.settlement_id} v{self.version}"
