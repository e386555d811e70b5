"""Data catalog entries for this module (read by codi.governance)."""

P = {"personal": "general"}
_UNIT = "สำนักอำนวยการ (งานสารบรรณและเอกสาร)"

DATASETS = {
    "Document": {
        "name_th": "เอกสารในคลังเอกสาร",
        "name_en": "Stored document",
        "description": (
            "A document in the document store (letters, contracts, reports, minutes, evidence) with its "
            "classification, area, retention period, links and named readers; its content is in versions."
        ),
        "owner_unit": _UNIT,
        "steward": "the unit that uploaded the document",
        "classification": "confidential",
        "lawful_basis": "public task (PDPA s.24(4)); documents may hold personal data of community members",
        "source": "uploaded by staff",
        "update_frequency": "real-time",
        "retention": "per document (retention_years; 0 = permanent), per the Regulation on Correspondence",
        "fields": {
            "title": ("ชื่อเอกสาร", "Title", "Title given at upload"),
            "description": ("คำอธิบาย", "Description", "Free-text description"),
            "doc_type": (
                "ประเภทเอกสาร",
                "Type",
                "letter, memo, contract, report, minutes, form, evidence, other",
            ),
            "classification": (
                "ชั้นความลับ",
                "Classification",
                "public / internal / confidential / secret; decides who may open it",
            ),
            "area_code": (
                "รหัสตำบล",
                "Area",
                "Subdistrict the document belongs to; empty = organization-wide",
            ),
            "document_date": ("วันที่เอกสาร", "Document date", "Date written on the document"),
            "retention_years": ("ระยะเวลาเก็บ (ปี)", "Retention (years)", "Years to keep; 0 = permanent"),
            "readers": (
                "ผู้มีสิทธิ์อ่านที่ระบุชื่อ",
                "Named readers",
                "Users who may open the document whatever its class and area (the only readers of a secret one)",
                P,
            ),
            "created_by": ("ผู้สร้าง", "Created by", "User who uploaded the first version", P),
            "created_at": ("สร้างเมื่อ", "Created at", "Time of the first upload"),
            "updated_at": ("แก้ไขล่าสุด", "Updated at", "Time of the last change"),
            "latest_number": ("ฉบับล่าสุด", "Latest version", "Number of the newest version"),
        },
    },
    "DocumentVersion": {
        "name_th": "ฉบับของเอกสาร",
        "name_en": "Document version",
        "description": (
            "One uploaded file of a document (version n), its processing status (type check, text, OCR, "
            "thumbnail, indexed or failed with the reason), the text read from it and its thumbnail."
        ),
        "owner_unit": _UNIT,
        "steward": "the unit that uploaded the document",
        "classification": "confidential",
        "lawful_basis": "public task (PDPA s.24(4))",
        "source": "uploaded by staff; text by the document pipeline (text layer or Tesseract OCR)",
        "update_frequency": "real-time",
        "retention": "as its document",
        "fields": {
            "document": ("เอกสาร", "Document", "The document this is a version of"),
            "number": ("ฉบับที่", "Number", "1, 2, 3… in upload order"),
            "file": ("ไฟล์", "File", "The uploaded file in the media storage"),
            "original_name": (
                "ชื่อไฟล์เดิม",
                "Original file name",
                "Name of the file on the uploader's computer",
            ),
            "content_type": (
                "ชนิดไฟล์",
                "Content type",
                "Detected from the bytes (PDF, PNG, JPEG, TIFF, DOCX, XLSX)",
            ),
            "size": ("ขนาด (ไบต์)", "Size (bytes)", "File size"),
            "sha256": ("ค่าแฮช SHA-256", "SHA-256", "Checksum of the file at upload"),
            "page_count": ("จำนวนหน้า", "Pages", "Pages (PDF, TIFF frames) or sheets (XLSX)"),
            "status": (
                "สถานะการประมวลผล",
                "Status",
                "queued, type_check, text, ocr, thumbnail, indexed, failed",
            ),
            "status_reason": ("เหตุผลที่ไม่สำเร็จ", "Failure reason", "Why processing failed (Thai and English)"),
            "text": ("ข้อความในเอกสาร", "Text", "Text read from the file (may contain personal data)", P),
            "ocr_pages": ("หน้าที่อ่านด้วย OCR", "OCR pages", "Pages whose text came from OCR"),
            "thumbnail": ("ภาพย่อ", "Thumbnail", "PNG of the first page"),
            "uploaded_by": ("ผู้อัปโหลด", "Uploaded by", "User who uploaded this version", P),
            "created_at": ("อัปโหลดเมื่อ", "Uploaded at", "Time of upload"),
            "processed_at": ("ประมวลผลเมื่อ", "Processed at", "Time processing ended"),
        },
    },
    "DocumentLink": {
        "name_th": "การเชื่อมโยงเอกสาร",
        "name_en": "Document link",
        "description": "Links a document to a project, a community organization or an area (by id or code).",
        "owner_unit": _UNIT,
        "steward": "the unit that uploaded the document",
        "classification": "internal",
        "lawful_basis": "",
        "source": "entered by staff",
        "update_frequency": "on change",
        "retention": "as its document",
        "fields": {
            "document": ("เอกสาร", "Document", "The linked document"),
            "link_type": ("ประเภทการเชื่อมโยง", "Link type", "project, organization or area"),
            "link_id": ("รหัสที่เชื่อมโยง", "Linked id", "Project id, organization id or subdistrict code"),
        },
    },
}
