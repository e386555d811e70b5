"""Thai administrative areas (DOPA codes) and CODI's regions.

Data: the ``geothai`` package (CC BY 4.0, credit "GeoThai").
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A CODI regional office's area of work; provinces map to it (editable)."""

    code = models.CharField(_("code"), max_length=20, primary_key=True)
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name_th


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="provinces"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class District(models.Model):
    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class Subdistrict(models.Model):
    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    postal_codes = models.CharField(_("postal codes"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class AbolishedArea(models.Model):
    """A district or subdistrict code that is no longer in use, kept so old records still resolve.

    ``successors`` are the codes that took over its land (several when it was split,
    none when the record does not say). Loaded from ``geothai.abolished``.
    """

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        SUBDISTRICT = "subdistrict", _("Subdistrict")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    level = models.CharField(max_length=12, choices=Level.choices)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent_code = models.CharField(max_length=4, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    successors_basis = models.CharField(max_length=20, blank=True)
    successors_in_force = models.DateField(null=True, blank=True)
    successors_source = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_th} ({self.code})"


class AbolishedSuccessor(models.Model):
    """One area that took over (part of) an abolished area's land; ``code`` may itself be abolished."""

    abolished = models.ForeignKey(AbolishedArea, on_delete=models.CASCADE, related_name="successors")
    code = models.CharField(_("code"), max_length=6, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["abolished_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["abolished", "code"], name="areas_abolished_successor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.abolished_id} → {self.code}"
