"""Thai text for the trusted-devices page (codi.identity.device_views) and platform messages (issue 14)."""

TH: dict[str, str] = {
    "My trusted devices": "อุปกรณ์ที่เชื่อถือของฉัน",
    "A browser where you completed two-step sign-in is trusted for 30 days: from it you can sign in even "
    "while your account's password sign-in is paused after failed attempts. The password and the second "
    "step are still asked for. Revoke a device you no longer use or do not recognise.": (
        "เบราว์เซอร์ที่ท่านเข้าสู่ระบบครบทั้งสองขั้นตอนแล้วจะได้รับความเชื่อถือเป็นเวลา 30 วัน "
        "จากเบราว์เซอร์นั้นท่านเข้าสู่ระบบได้แม้ระบบจะพักการเข้าสู่ระบบด้วยรหัสผ่านของบัญชีไว้หลังจากมีผู้พยายามผิดหลายครั้ง "
        "โดยยังต้องใส่รหัสผ่านและยืนยันขั้นที่สองเช่นเดิม ให้เพิกถอนอุปกรณ์ที่ไม่ได้ใช้แล้วหรือที่ท่านไม่รู้จัก"
    ),
    "Device": "อุปกรณ์",
    "Trusted since": "เชื่อถือตั้งแต่",
    "Last sign-in": "เข้าสู่ระบบครั้งล่าสุด",
    "Unknown browser": "เบราว์เซอร์ที่ไม่ทราบชนิด",
    "this browser": "เบราว์เซอร์นี้",
    "No trusted devices.": "ไม่มีอุปกรณ์ที่เชื่อถือ",
    "The device is no longer trusted.": "เพิกถอนความเชื่อถืออุปกรณ์แล้ว",
    "device": "อุปกรณ์",
}
