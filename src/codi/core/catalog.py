"""Data catalog entries for this module (read by codi.governance)."""

P = {"personal": "general"}

DATASETS = {
    "AuditEntry": {
        "name_th": "บันทึกการตรวจสอบ (audit trail)",
        "name_en": "Audit trail",
        "description": (
            "Append-only, hash-chained log of every change and every read of unmasked personal "
            "data: who did what to which record, when and from which address."
        ),
        "owner_unit": "ฝ่ายเทคโนโลยีสารสนเทศ",
        "steward": "system administrator; read by internal auditors and the DPO",
        "classification": "confidential",
        "lawful_basis": (
            "legal obligation (PDPA s.24(6)): Computer Crime Act B.E. 2550 s.26 traffic data; "
            "PDPA s.37 security measures"
        ),
        "source": "written by the platform (codi.core.audit) on every audited action",
        "update_frequency": "real-time",
        "retention": "AUDIT_RETENTION_DAYS (default 365 days, never under 90), then purge_audit",
        "fields": {
            "id": (
                "ลำดับรายการ",
                "Entry number",
                "Sequence number assigned by the audit service; covered by the hash",
            ),
            "created_at": ("เวลาที่บันทึก", "Recorded at", "When the action happened (UTC)"),
            "actor_id": ("รหัสผู้กระทำ", "Actor ID", "User id of who acted; empty for the system", P),
            "actor_label": ("ชื่อผู้กระทำ", "Actor", "User name of who acted at the time", P),
            "action": ("การกระทำ", "Action", "What was done, e.g. communities.person.update"),
            "object_type": ("ประเภทข้อมูล", "Object type", "Kind of record acted on"),
            "object_id": ("รหัสข้อมูล", "Object ID", "Id of the record acted on"),
            "changes": (
                "รายละเอียดการเปลี่ยนแปลง",
                "Changes",
                "Old and new values; personal fields are masked",
                P,
            ),
            "ip": ("หมายเลขไอพี", "IP address", "Client address of the request", P),
            "request_id": ("รหัสคำขอ", "Request ID", "Id linking the entry to the request's log lines"),
            "prev_hash": ("แฮชรายการก่อนหน้า", "Previous hash", "SHA-256 of the previous entry (the chain)"),
            "hash": ("แฮช", "Hash", "SHA-256 over this entry's fields and the previous hash"),
        },
    },
    "AuditHead": {
        "name_th": "หัวสายบันทึกการตรวจสอบ",
        "name_en": "Audit chain head",
        "description": "Single row holding the last entry and the anchor of the audit hash chain.",
        "owner_unit": "ฝ่ายเทคโนโลยีสารสนเทศ",
        "steward": "system administrator",
        "classification": "internal",
        "lawful_basis": "",
        "source": "maintained by codi.core.audit",
        "update_frequency": "real-time",
        "retention": "permanent (one row)",
        "fields": {
            "id": ("รหัส", "ID", "Always 1: there is one head row"),
            "last_id": ("ลำดับล่าสุด", "Last entry number", "Number of the newest audit entry"),
            "last_hash": ("แฮชล่าสุด", "Last hash", "Hash of the newest audit entry"),
            "anchor_hash": ("แฮชจุดยึด", "Anchor hash", "prev_hash the oldest kept entry must carry"),
            "anchor_id": ("ลำดับจุดยึด", "Anchor entry number", "Number of the last purged entry"),
        },
    },
    "RateCounter": {
        "name_th": "ตัวนับอัตราการเรียกใช้",
        "name_en": "Rate-limit counters",
        "description": (
            "Counters for rate limits and sign-in throttling shared by every process when Redis is not "
            "configured; keys are hashes, so no address or user name is kept in clear."
        ),
        "owner_unit": "ฝ่ายเทคโนโลยีสารสนเทศ",
        "steward": "system administrator",
        "classification": "internal",
        "lawful_basis": "",
        "source": "written by codi.core.ratelimit on each counted request",
        "update_frequency": "real-time",
        "retention": "until the counting window ends (minutes to an hour), then swept",
        "fields": {
            "key": ("กุญแจ", "Key", "Hash of the limit name, window and who is counted"),
            "count": ("จำนวนครั้ง", "Count", "Hits in the window"),
            "expires_at": ("หมดอายุ", "Expires at", "End of the counting window"),
        },
    },
    "TaskWorkerHeartbeat": {
        "name_th": "สัญญาณชีพของตัวประมวลผลงานเบื้องหลัง",
        "name_en": "Task worker heartbeats",
        "description": "One row per running background task worker; a silent worker's tasks go back in the queue.",
        "owner_unit": "ฝ่ายเทคโนโลยีสารสนเทศ",
        "steward": "system administrator",
        "classification": "internal",
        "lawful_basis": "",
        "source": "written every few seconds by manage.py task_worker",
        "update_frequency": "real-time",
        "retention": "while the worker runs",
        "fields": {
            "worker_id": ("รหัสตัวประมวลผล", "Worker ID", "Random id of the worker process"),
            "hostname": ("ชื่อเครื่อง", "Host name", "Machine the worker runs on"),
            "pid": ("หมายเลขโปรเซส", "Process id", "Operating-system process id"),
            "started_at": ("เริ่มเมื่อ", "Started at", "When the worker started"),
            "seen_at": ("เห็นล่าสุด", "Last seen", "Last heartbeat"),
        },
    },
}

EXTERNAL_DATASETS = {
    "django_tasks_database.DBTaskResult": {
        "name_th": "คิวงานเบื้องหลัง",
        "name_en": "Background task queue",
        "description": "Queued and finished background tasks (ids of the records they work on, results, errors).",
        "owner_unit": "ฝ่ายเทคโนโลยีสารสนเทศ",
        "steward": "system administrator",
        "classification": "internal",
        "lawful_basis": "as for the records the task works on (tasks take ids, not personal values)",
        "source": "enqueued by platform services",
        "update_frequency": "real-time",
        "retention": "finished tasks: to be pruned after 30 days (no job yet)",
        "fields": {
            "task_path": ("งาน", "Task", "Python path of the task"),
            "args_kwargs": ("อาร์กิวเมนต์", "Arguments", "Arguments: record ids", P),
            "status": ("สถานะ", "Status", "Ready, running, succeeded, failed"),
            "traceback": ("รายละเอียดข้อผิดพลาด", "Traceback", "Error details of a failed task"),
        },
    },
}
