"""Data catalog of the working-day calendar (see ``codi.governance.catalog``)."""

from __future__ import annotations

DATASETS = {
    "Holiday": {
        "name_th": "วันหยุดราชการและวันหยุดของ พอช.",
        "name_en": "Holidays",
        "description": "Thai public holidays (loaded from the holidays package) and CODI closures, "
        "not counted as working days by SLA, project due dates, leave and payroll.",
        "owner_unit": "ฝ่ายทรัพยากรบุคคล",
        "steward": "system administrator",
        "classification": "public",
        "lawful_basis": "",
        "source": "holidays package (Thailand, with substitution days); cabinet announcements; administrators",
        "update_frequency": "yearly",
        "retention": "permanent",
        "fields": {
            "date": ("วันที่", "Date", "The day off"),
            "name": ("ชื่อวันหยุด", "Name", "Name of the holiday"),
            "source": ("ที่มา", "Source", "Thai public holiday or CODI closure"),
        },
    },
}
