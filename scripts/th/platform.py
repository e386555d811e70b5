"""Thai text for the platform's sign-in throttling and start-up messages."""

TH: dict[str, str] = {
    "Wrong username or password, or sign-in is paused after several failed attempts. "
    "Wait a few minutes and try again, or sign in from a device you have used with your authenticator.": (
        "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง หรือระบบพักการเข้าสู่ระบบไว้ชั่วคราวหลังจากพยายามผิดหลายครั้ง "
        "กรุณารอสักครู่แล้วลองใหม่ หรือเข้าสู่ระบบจากอุปกรณ์ที่เคยใช้ร่วมกับแอปยืนยันตัวตนของท่าน"
    ),
    "Too many failed sign-ins from your network. Try again in %(minutes)d minutes.": (
        "มีการเข้าสู่ระบบไม่สำเร็จจากเครือข่ายของท่านบ่อยเกินไป กรุณาลองใหม่ในอีก %(minutes)d นาที"
    ),
    "Sign-in is unavailable for a moment. Please try again shortly.": (
        "ระบบเข้าสู่ระบบไม่พร้อมใช้งานชั่วคราว กรุณาลองใหม่อีกครั้งในไม่ช้า"
    ),
    "Code from your authenticator, or a recovery code": "รหัสจากแอปยืนยันตัวตน หรือรหัสกู้คืน",
    "Sign-in paused? Add a code from your authenticator": "ระบบพักการเข้าสู่ระบบไว้? ใส่รหัสจากแอปยืนยันตัวตนเพิ่ม",
}
