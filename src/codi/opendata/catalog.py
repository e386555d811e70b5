"""Data catalog entries for this module (read by codi.governance).

The rows of each published dataset live in generated tables (``od_<hex>``), not Django models;
they hold aggregates or k-anonymous records only (personal columns are refused at publishing)
and are described by each dataset's own metadata and ``Resource.fields``.
"""

_OPEN = {
    "owner_unit": "ฝ่ายเทคโนโลยีสารสนเทศ",
    "steward": "data protection officer (publishing approval) and the dataset's owning unit",
    "classification": "public",
    "lawful_basis": "",
    "update_frequency": "on change",
    "retention": "while published; the metadata of withdrawn datasets is kept 5 years",
}

DATASETS = {
    "Dataset": {
        **_OPEN,
        "name_th": "ชุดข้อมูลเปิด",
        "name_en": "Open dataset",
        "description": "A dataset published as open data (CKAN package) with the Thai government"
        " data-catalog metadata, its publishing status and version.",
        "source": "registered dataset builders in code; published by the DPO or a system administrator",
        "fields": {
            "ckan_id": ("รหัสชุดข้อมูล (CKAN)", "CKAN id", "UUID the CKAN API uses as the package id"),
            "name": ("ชื่อย่อชุดข้อมูล", "Name", "URL name (slug) of the dataset, the builder's name"),
            "title_th": ("ชื่อชุดข้อมูล (ไทย)", "Thai title", "Title shown to the public"),
            "title_en": ("ชื่อชุดข้อมูล (อังกฤษ)", "English title", "English title"),
            "description": ("คำอธิบาย", "Description", "What the dataset contains"),
            "objective": ("วัตถุประสงค์", "Objective", "Why the dataset is published"),
            "data_type": ("ประเภทข้อมูล", "Data type", "Statistical, record-level, geographic or other"),
            "data_category": ("หมวดหมู่ข้อมูล", "Data category", "DGA category, e.g. public data"),
            "geographic_coverage": ("ขอบเขตเชิงภูมิศาสตร์", "Geographic coverage", "Area the data covers"),
            "update_frequency": ("ความถี่ในการปรับปรุง", "Update frequency", "How often it is refreshed"),
            "license_id": ("สัญญาอนุญาต", "Licence", "Open licence id, e.g. cc-by-4.0"),
            "harvest_permission": (
                "อนุญาตให้เก็บเกี่ยวข้อมูล",
                "Harvest permitted",
                "Whether data.go.th may harvest it",
            ),
            "contact_name": ("ผู้ติดต่อ", "Contact", "Unit to contact about the dataset (not a person)"),
            "contact_email": ("อีเมลติดต่อ", "Contact e-mail", "Shared unit mailbox (not a person's address)"),
            "keywords": ("คำสำคัญ", "Keywords", "Tags for search"),
            "quasi_identifiers": ("ตัวระบุกึ่งตัวตน", "Quasi-identifiers", "Columns checked for k-anonymity"),
            "k_threshold": ("ค่า k", "k threshold", "Smallest equivalence class allowed (at least 5)"),
            "status": ("สถานะ", "Status", "Published, unpublished or refused"),
            "refusal": (
                "เหตุผลที่ปฏิเสธ",
                "Refusal",
                "Why publishing was refused (staff only)",
                {"classification": "internal"},
            ),
            "version": ("รุ่น", "Version", "Increases at each publish or refresh"),
            "metadata_created": ("วันที่สร้าง", "Created", "When first published"),
            "metadata_modified": ("วันที่ปรับปรุง", "Modified", "When last published, refreshed or withdrawn"),
        },
    },
    "Resource": {
        **_OPEN,
        "name_th": "ทรัพยากรข้อมูล (ตารางข้อมูล)",
        "name_en": "Open-data resource",
        "description": "The table of a published dataset, served by datastore_search and the downloads.",
        "source": "written by the publishing service",
        "fields": {
            "ckan_id": ("รหัสทรัพยากร (CKAN)", "CKAN id", "UUID the CKAN API uses as the resource id"),
            "dataset": ("ชุดข้อมูล", "Dataset", "Dataset the resource belongs to"),
            "name": ("ชื่อทรัพยากร", "Name", "Title of the table"),
            "table_name": (
                "ชื่อตารางในฐานข้อมูล",
                "Table name",
                "Generated table holding the rows",
                {"classification": "internal"},
            ),
            "fields": ("คอลัมน์", "Fields", "Column ids, types and Thai/English labels"),
            "row_count": ("จำนวนแถว", "Row count", "Rows in the published version"),
            "created": ("วันที่สร้าง", "Created", "When the resource was first published"),
            "last_modified": ("วันที่ปรับปรุง", "Last modified", "When its rows were last replaced"),
        },
    },
}
