"""Data catalog entries for this module (read by codi.governance)."""

_UNIT = "สำนักเทคโนโลยีสารสนเทศ"

DATASETS = {
    "Chunk": {
        "name_th": "ดัชนีค้นหา (ชิ้นข้อความ)",
        "name_en": "Search index chunk",
        "description": (
            "A derived copy of searchable text from other modules (statute sections, knowledge articles, "
            "documents): segmented tokens, e5 vector, and the access data the permission filter reads. "
            "Rebuilt from the owning module at any time."
        ),
        "owner_unit": _UNIT,
        "steward": "platform engineer on duty",
        "classification": "confidential",
        "lawful_basis": "public task (PDPA s.24(4)); copies text that may contain personal data",
        "source": "derived by the search service from registered sources",
        "update_frequency": "real-time",
        "retention": "as the source object (removed when the source object is removed)",
        "fields": {
            "source": ("แหล่งข้อมูล", "Source", "Registered source name, e.g. documents.document"),
            "object_id": ("รหัสวัตถุ", "Object id", "Id of the object within its source"),
            "title": ("ชื่อ", "Title", "Title shown in results"),
            "text": ("ข้อความ", "Text", "Indexed text (snippets are cut from it)", {"personal": "general"}),
            "tokens": ("คำที่ตัดแล้ว", "Tokens", "PyThaiNLP-segmented index terms, space-separated"),
            "embedding": ("เวกเตอร์ความหมาย", "Embedding", "e5-small vector (384 float32)"),
            "updated_at": ("แก้ไขล่าสุด", "Updated at", "Last re-indexing"),
            "kind": ("ประเภท", "Kind", "Object type within its source (for the type filter)"),
            "classification": (
                "ชั้นความลับ",
                "Classification",
                "Copied from the source object; the permission filter reads it",
            ),
            "area_code": ("รหัสพื้นที่", "Area code", "DOPA code of the object's area; empty for none"),
            "doc_date": ("วันที่", "Date", "Date the date-range filter reads"),
        },
    },
    "ChunkReader": {
        "name_th": "ผู้มีสิทธิ์อ่านในดัชนีค้นหา",
        "name_en": "Search index named reader",
        "description": "Principals (user:<id>) named as readers of an indexed object, copied from its source.",
        "owner_unit": _UNIT,
        "steward": "platform engineer on duty",
        "classification": "confidential",
        "lawful_basis": "public task (PDPA s.24(4))",
        "source": "derived by the search service from registered sources",
        "update_frequency": "real-time",
        "retention": "as the chunk",
        "fields": {
            "chunk": ("ชิ้นข้อความ", "Chunk", "The indexed chunk"),
            "principal": ("ผู้มีสิทธิ์", "Principal", "user:<id> of a named reader", {"personal": "general"}),
        },
    },
    "IndexVersion": {
        "name_th": "รุ่นของดัชนี",
        "name_en": "Search index version",
        "description": "Per-source counters that tell each process when its in-memory index is stale.",
        "owner_unit": _UNIT,
        "steward": "platform engineer on duty",
        "classification": "internal",
        "lawful_basis": "",
        "source": "search service",
        "update_frequency": "real-time",
        "retention": "while the source exists",
        "fields": {
            "source": ("แหล่งข้อมูล", "Source", "Registered source name"),
            "version": ("รุ่นข้อความ", "Lexical version", "Moves when chunks change"),
            "dense_version": ("รุ่นเวกเตอร์", "Dense version", "Moves when vectors are added"),
        },
    },
}
