"""Seed the method thresholds table (ministerial regulation B.E. 2560) and the asset classes.

The values are copied here (a migration imports no app code); ``codi.procurement.rules`` and
``codi.procurement.assets`` document them. Both tables stay editable afterwards.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

THRESHOLDS = [
    ("specific", "0.00", "500000.00", False, 10,
     "พ.ร.บ.การจัดซื้อจัดจ้างฯ 2560 ม.56(2)(ข) และกฎกระทรวงกำหนดวงเงินการจัดซื้อจัดจ้างพัสดุโดยวิธีเฉพาะเจาะจง ... "
     "พ.ศ. 2560: วงเงินครั้งหนึ่งไม่เกิน 500,000 บาท"),
    ("e_market", "500000.00", None, True, 20,
     "พ.ร.บ.ฯ 2560 ม.55(1) วิธีประกาศเชิญชวนทั่วไป และระเบียบกระทรวงการคลังฯ 2560 "
     "(ตลาดอิเล็กทรอนิกส์: พัสดุที่มีรายการในแคตตาล็อกอิเล็กทรอนิกส์) วงเงินเกิน 500,000 บาท"),
    ("e_bidding", "500000.00", None, False, 30,
     "พ.ร.บ.ฯ 2560 ม.55(1) วิธีประกาศเชิญชวนทั่วไป และระเบียบกระทรวงการคลังฯ 2560 "
     "(ประกวดราคาอิเล็กทรอนิกส์) วงเงินเกิน 500,000 บาท"),
]  # fmt: skip
CLASSES = [
    ("OFFICE", "ครุภัณฑ์สำนักงาน", 8),
    ("COMPUTER", "ครุภัณฑ์คอมพิวเตอร์", 3),
    ("VEHICLE", "ครุภัณฑ์ยานพาหนะและขนส่ง", 8),
    ("ELECTRIC", "ครุภัณฑ์ไฟฟ้าและวิทยุ", 5),
    ("ADVERT", "ครุภัณฑ์โฆษณาและเผยแพร่", 5),
]


def seed(apps, schema_editor):
    threshold = apps.get_model("procurement", "MethodThreshold")
    if not threshold.objects.exists():
        for method, low, high, catalog, priority, source in THRESHOLDS:
            threshold.objects.create(
                method=method, min_amount=Decimal(low), max_amount=Decimal(high) if high else None,
                needs_e_catalog=catalog, priority=priority, effective_from=date(2017, 8, 23), source=source,
            )  # fmt: skip
    asset_class = apps.get_model("procurement", "AssetClass")
    for code, name, life in CLASSES:
        asset_class.objects.get_or_create(
            code=code,
            defaults={
                "name_th": name, "useful_life_years": life, "asset_account": "1206010101",
                "accumulated_account": "1206010102", "expense_account": "5105010101",
            },
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
