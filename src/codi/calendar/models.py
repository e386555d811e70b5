"""Days that are not working days: Thai public holidays and CODI's own closures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidaySource(models.TextChoices):
    PUBLIC = "public", _("Thai public holiday")
    CODI = "codi", _("CODI closure")


class Holiday(models.Model):
    """A day off: a Thai public holiday (loaded from the ``holidays`` package) or a CODI closure.

    Weekends are never stored: working-day arithmetic skips them by itself.
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=10, choices=HolidaySource.choices, default=HolidaySource.CODI
    )

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
