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
