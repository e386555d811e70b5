"""Every UI string has Thai text: Thai is the first language of every page."""

from __future__ import annotations

from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[2] / "src/codi/locale/th/LC_MESSAGES/django.po"


def test_every_message_has_a_thai_translation():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    assert untranslated == [], "run `make translations` and add Thai text to scripts/thai_translations.py"
    assert catalogue.fuzzy_entries() == []
