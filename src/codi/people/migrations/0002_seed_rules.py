"""Seed rows of the editable rule tables: leave types, social-security rates, the plan's targets.

Values are written here (no app imports in migrations); HR edits them afterwards.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

# code, Thai, English, days a year, carry-over, balance cap, calendar days, over balance, paid
LEAVE_TYPES = [
    ("sick", "ลาป่วย", "Sick leave", "60", "0", "0", False, True, True),
    ("personal", "ลากิจส่วนตัว", "Personal leave", "10", "0", "0", False, False, True),
    ("vacation", "ลาพักผ่อน", "Vacation leave", "10", "10", "20", False, False, True),
    ("maternity", "ลาคลอดบุตร", "Maternity leave", "98", "0", "0", True, False, True),
    ("paternity", "ลาไปช่วยเหลือภริยาที่คลอดบุตร", "Paternity leave", "15", "0", "0", False, False, True),
    ("ordination", "ลาอุปสมบทหรือประกอบพิธีฮัจย์", "Ordination or Hajj leave", "120", "0", "0", True, False, True),
    ("training", "ลาศึกษา ฝึกอบรม ดูงาน", "Study or training leave", "30", "0", "0", False, True, True),
]

SSO_SOURCE_1995 = "กฎกระทรวงว่าด้วยค่าจ้างขั้นต่ำและขั้นสูงที่ใช้เป็นฐานในการคำนวณเงินสมทบ (พ.ศ. 2538)"
SSO_SOURCE_2026 = (
    "กฎกระทรวงกำหนดค่าจ้างขั้นต่ำและขั้นสูงที่ใช้เป็นฐานในการคำนวณเงินสมทบ มาตรา 33 "
    "(ราชกิจจานุเบกษา, ใช้บังคับ 1 ม.ค. 2569)"
)
SSO_RATES = [
    (date(1995, 1, 1), date(2025, 12, 31), 5, "1650", "15000", SSO_SOURCE_1995),
    (date(2026, 1, 1), date(2028, 12, 31), 5, "1650", "17500", SSO_SOURCE_2026),
    (date(2029, 1, 1), date(2031, 12, 31), 5, "1650", "20000", SSO_SOURCE_2026),
    (date(2032, 1, 1), None, 5, "1650", "23000", SSO_SOURCE_2026),
]

# The digital action plan FY2568-2570 (chapter 3): staff applying digital skills at work, staff using
# AI for content and work, community leaders trained (500 a year).
TARGETS = [
    ("digital_at_work", "บุคลากรที่นำทักษะดิจิทัลไปใช้ในการปฏิบัติงาน", "percent", {2568: "20", 2569: "50", 2570: "80"}),
    ("ai_use", "บุคลากรที่ใช้ AI ในการสร้างเนื้อหาและการทำงาน", "percent", {2568: "10", 2569: "20", 2570: "30"}),
    ("leaders_trained", "ผู้นำชุมชนที่ได้รับการพัฒนาทักษะดิจิทัล", "people", {2568: "500", 2569: "500", 2570: "500"}),
]


def seed(apps, schema_editor):
    leave_type = apps.get_model("people", "LeaveType")
    for order, (code, th, en, days, carry, cap, calendar, over, paid) in enumerate(LEAVE_TYPES, start=1):
        leave_type.objects.get_or_create(
            code=code,
            defaults={
                "name_th": th, "name_en": en, "days_per_year": Decimal(days), "max_carry_over": Decimal(carry),
                "max_balance": Decimal(cap), "counts_calendar_days": calendar, "allows_over_balance": over,
                "is_paid": paid, "order": order,
            },
        )  # fmt: skip
    rate = apps.get_model("people", "SocialSecurityRate")
    for start, end, percent, floor, ceiling, source in SSO_RATES:
        rate.objects.get_or_create(
            valid_from=start,
            defaults={
                "valid_to": end, "rate_percent": percent, "wage_floor": Decimal(floor),
                "wage_ceiling": Decimal(ceiling), "source": source,
            },
        )  # fmt: skip
    target = apps.get_model("people", "CompetencyTarget")
    for indicator, name, unit, values in TARGETS:
        for year, value in values.items():
            target.objects.get_or_create(
                fiscal_year=year, indicator=indicator, defaults={"name_th": name, "unit": unit, "target": Decimal(value)}
            )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
