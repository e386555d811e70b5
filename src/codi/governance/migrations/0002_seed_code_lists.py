"""Seed the reference code lists that are not TextChoices in the code."""

from django.db import migrations

LISTS = [
    {
        "key": "co-funding-source",
        "name_th": "แหล่งงบประมาณสมทบ",
        "name_en": "Co-funding source",
        "description": "Where a project's co-funding comes from (projects.Project.co_funding_source).",
        "owner_unit": "สำนักพัฒนาโครงการ",
        "codes": [
            ("community", "ชุมชนสมทบเอง", "Community's own contribution"),
            ("local_government", "องค์กรปกครองส่วนท้องถิ่น", "Local government"),
            ("provincial", "จังหวัด", "Province"),
            ("government_agency", "หน่วยงานรัฐอื่น", "Other government agency"),
            ("private", "ภาคเอกชน", "Private sector"),
            ("foundation", "มูลนิธิ/องค์กรพัฒนาเอกชน", "Foundation or NGO"),
            ("other", "อื่น ๆ", "Other"),
        ],
    },
    {
        "key": "registration-authority",
        "name_th": "หน่วยงานที่รับจดทะเบียนองค์กร",
        "name_en": "Organization registration authority",
        "description": "Who issued an organization's registration number.",
        "owner_unit": "สำนักงานภาค (ฝ่ายพัฒนาองค์กรชุมชน)",
        "codes": [
            ("codi", "สถาบันพัฒนาองค์กรชุมชน (พอช.)", "CODI"),
            ("council_act", "สภาองค์กรชุมชนตำบล (พ.ร.บ.สภาองค์กรชุมชน พ.ศ. 2551)", "Community Council Act 2008"),
            ("cooperatives", "กรมส่งเสริมสหกรณ์", "Cooperative Promotion Department"),
            ("enterprise", "กรมส่งเสริมการเกษตร (วิสาหกิจชุมชน)", "Department of Agricultural Extension (community enterprise)"),
            ("other", "อื่น ๆ", "Other"),
        ],
    },
]


def seed(apps, schema_editor):
    CodeList = apps.get_model("governance", "CodeList")
    Code = apps.get_model("governance", "Code")
    for spec in LISTS:
        code_list, _ = CodeList.objects.get_or_create(
            key=spec["key"],
            defaults={k: spec[k] for k in ("name_th", "name_en", "description", "owner_unit")},
        )
        for order, (code, th, en) in enumerate(spec["codes"]):
            Code.objects.get_or_create(
                code_list=code_list, code=code, defaults={"label_th": th, "label_en": en, "sort_order": order}
            )


def unseed(apps, schema_editor):
    apps.get_model("governance", "CodeList").objects.filter(key__in=[s["key"] for s in LISTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
