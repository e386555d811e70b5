"""Thai text for the security work's English message ids (two-step sign-in, uploads, exports)."""

TH: dict[str, str] = {
    "Code from your current authenticator, or a recovery code": "รหัสจากแอปยืนยันตัวตนเครื่องเดิม หรือรหัสกู้คืน",
    "Code from your authenticator, or a recovery code": "รหัสจากแอปยืนยันตัวตน หรือรหัสกู้คืน",
    "Enter a current code from your authenticator to make new recovery codes.": (
        "กรอกรหัสปัจจุบันจากแอปยืนยันตัวตนก่อนสร้างรหัสกู้คืนชุดใหม่"
    ),
    "Move two-step verification to a new phone": "ย้ายการยืนยันตัวตนสองขั้นตอนไปยังโทรศัพท์เครื่องใหม่",
}
