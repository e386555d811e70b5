"""Data catalog entries for this module (read by codi.governance)."""

_GEO = {
    "owner_unit": "ฝ่ายเทคโนโลยีสารสนเทศ",
    "steward": "GIS and area data officer",
    "classification": "public",
    "lawful_basis": "",
    "source": "geothai package (DOPA administrative codes, CC BY 4.0 'GeoThai')",
    "update_frequency": "yearly",
    "retention": "permanent",
}

DATASETS = {
    "Region": {
        **_GEO,
        "name_th": "ภาคตามการทำงานของ พอช.",
        "name_en": "CODI region",
        "description": "A CODI regional office's area of work; provinces map to one region.",
        "source": "CODI's regional structure, entered by administrators",
        "update_frequency": "on change",
        "fields": {
            "code": ("รหัสภาค", "Region code", "Short code, e.g. northeast"),
            "name_th": ("ชื่อภาค (ไทย)", "Thai name", "Thai name of the region"),
            "name_en": ("ชื่อภาค (อังกฤษ)", "English name", "English name of the region"),
            "sort_order": ("ลำดับการแสดง", "Sort order", "Order in lists"),
        },
    },
    "Province": {
        **_GEO,
        "name_th": "จังหวัด",
        "name_en": "Province",
        "description": "The 77 provinces with their DOPA codes and CODI region.",
        "fields": {
            "code": ("รหัสจังหวัด", "Province code", "2-digit DOPA code"),
            "name_th": ("ชื่อจังหวัด (ไทย)", "Thai name", "Official Thai name"),
            "name_en": ("ชื่อจังหวัด (อังกฤษ)", "English name", "Romanised name"),
            "region": ("ภาค", "Region", "CODI region the province belongs to"),
        },
    },
    "District": {
        **_GEO,
        "name_th": "อำเภอ/เขต",
        "name_en": "District",
        "description": "Districts (amphoe / khet) with their DOPA codes.",
        "fields": {
            "code": ("รหัสอำเภอ", "District code", "4-digit DOPA code"),
            "name_th": ("ชื่ออำเภอ (ไทย)", "Thai name", "Official Thai name"),
            "name_en": ("ชื่ออำเภอ (อังกฤษ)", "English name", "Romanised name"),
            "province": ("จังหวัด", "Province", "Province of the district"),
        },
    },
    "Subdistrict": {
        **_GEO,
        "name_th": "ตำบล/แขวง",
        "name_en": "Subdistrict",
        "description": "Subdistricts (tambon / khwaeng): the unit every record of the platform is tied to.",
        "fields": {
            "code": ("รหัสตำบล", "Subdistrict code", "6-digit DOPA code"),
            "name_th": ("ชื่อตำบล (ไทย)", "Thai name", "Official Thai name"),
            "name_en": ("ชื่อตำบล (อังกฤษ)", "English name", "Romanised name"),
            "district": ("อำเภอ", "District", "District of the subdistrict"),
            "postal_codes": (
                "รหัสไปรษณีย์",
                "Postal codes",
                "Postal codes serving the subdistrict, comma-separated",
            ),
        },
    },
    "AbolishedArea": {
        **_GEO,
        "name_th": "รหัสพื้นที่ที่ยกเลิกแล้ว",
        "name_en": "Abolished area code",
        "description": "District and subdistrict codes no longer in use, kept so old records still resolve.",
        "source": "geothai.abolished (Royal Gazette announcements)",
        "fields": {
            "code": ("รหัสพื้นที่", "Code", "The abolished DOPA code"),
            "level": ("ระดับ", "Level", "District or subdistrict"),
            "name_th": ("ชื่อ (ไทย)", "Thai name", "Name when it was in use"),
            "name_en": ("ชื่อ (อังกฤษ)", "English name", "Romanised name"),
            "parent_code": ("รหัสพื้นที่แม่", "Parent code", "Code of the district it belonged to"),
            "abolished_on": ("วันที่ยกเลิก", "Abolished on", "Date the code was abolished"),
            "successors_basis": ("ที่มาของพื้นที่ที่รับช่วง", "Successors basis", "How the successors were determined"),
            "successors_in_force": ("วันที่มีผล", "Successors in force", "Date the successor areas took effect"),
            "successors_source": ("แหล่งอ้างอิง", "Successors source", "Citation of the announcement"),
        },
    },
    "AbolishedSuccessor": {
        **_GEO,
        "name_th": "พื้นที่ที่รับช่วงจากรหัสที่ยกเลิก",
        "name_en": "Successor of an abolished area",
        "description": "One area that took over (part of) an abolished area's land.",
        "source": "geothai.abolished",
        "fields": {
            "abolished": ("รหัสที่ยกเลิก", "Abolished area", "The abolished area"),
            "code": ("รหัสพื้นที่ที่รับช่วง", "Successor code", "DOPA code of the successor area"),
            "position": ("ลำดับ", "Position", "Order among the successors"),
        },
    },
}
