from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "codi.procurement"
    label = "procurement"
    verbose_name = "Procurement, supplies and assets"

    def ready(self) -> None:
        # Data-subject requests reach individual vendors through this app's own collector.
        from codi.core.personaldata import register as register_collector
        from codi.procurement.privacy import ORDER, ProcurementCollector

        register_collector(ProcurementCollector(), order=ORDER)
        # The published annual procurement plan is open data (s.11 of the Act: plans are public).
        from codi.opendata.builders import Column, DatasetBuilder, register
        from codi.procurement.selectors import published_plan_rows

        register(
            DatasetBuilder(
                name="procurement-plan",
                title_th="แผนการจัดซื้อจัดจ้างประจำปีของ พอช.",
                title_en="CODI annual procurement plan",
                description="รายการในแผนการจัดซื้อจัดจ้างประจำปีที่เผยแพร่แล้ว: หน่วยงาน รายการ ประเภท วงเงิน วิธี และไตรมาส",
                objective="เพื่อเปิดเผยแผนการจัดซื้อจัดจ้างตามมาตรา 11 ของ พ.ร.บ.การจัดซื้อจัดจ้างฯ 2560",
                data_type="other",  # a published plan document in rows, about purchases, not people
                data_category="ข้อมูลสาธารณะ",
                update_frequency="on_change",
                keywords=("จัดซื้อจัดจ้าง", "แผน", "พอช."),
                columns=(
                    Column("fiscal_year", "int", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)"),
                    Column("unit", "text", "หน่วยงาน", "Unit"),
                    Column("title", "text", "รายการ", "Item"),
                    Column("category", "text", "ประเภท", "Category"),
                    Column("estimated_amount", "numeric", "วงเงิน (บาท)", "Estimated amount (baht)"),
                    Column("method", "text", "วิธีจัดซื้อจัดจ้าง", "Method"),
                    Column("quarter", "int", "ไตรมาส", "Quarter"),
                ),
                build=published_plan_rows,
            )
        )
