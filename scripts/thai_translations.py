"""Thai text for the UI's English message ids, merged into locale/th by `make translations`.

Run after `manage.py makemessages -l th`; entries already translated in the
.po are kept; new ones are filled from this table; any left empty are listed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

TH: dict[str, str] = {
    "code": "รหัส",
    "Thai name": "ชื่อภาษาไทย",
    "English name": "ชื่อภาษาอังกฤษ",
    "postal codes": "รหัสไปรษณีย์",
    "Community organization": "องค์กรชุมชน",
    "Community network": "เครือข่ายองค์กรชุมชน",
    "Subdistrict community council": "สภาองค์กรชุมชนตำบล",
    "Community welfare fund": "กองทุนสวัสดิการชุมชน",
    "Savings group": "กลุ่มออมทรัพย์",
    "Housing cooperative / Baan Mankong group": "สหกรณ์เคหสถาน / กลุ่มบ้านมั่นคง",
    "Community enterprise": "วิสาหกิจชุมชน",
    "Other": "อื่น ๆ",
    "Active": "ใช้งาน",
    "Inactive": "ไม่ใช้งาน",
    "Dissolved": "เลิกกิจการ",
    "type": "ประเภท",
    "registration number": "เลขทะเบียน",
    "founded on": "วันที่ก่อตั้ง",
    "status": "สถานะ",
    "demo data": "ข้อมูลตัวอย่าง",
    "Username": "ชื่อผู้ใช้",
    "Password": "รหัสผ่าน",
    "6-digit code or a recovery code": "รหัส 6 หลัก หรือรหัสกู้คืน",
    "Name (Thai)": "ชื่อ (ภาษาไทย)",
    "Name (English)": "ชื่อ (ภาษาอังกฤษ)",
    "Email": "อีเมล",
    "Position": "ตำแหน่ง",
    "Org unit": "หน่วยงาน",
    "Initial password": "รหัสผ่านเริ่มต้น",
    "Role": "บทบาท",
    "Scope": "ขอบเขตพื้นที่",
    "Area code": "รหัสพื้นที่",
    "Region code, or a 2-, 4- or 6-digit DOPA code; empty for the whole country": (
        "รหัสภาค หรือรหัสพื้นที่ของกรมการปกครอง 2, 4 หรือ 6 หลัก; เว้นว่างสำหรับทั้งประเทศ"
    ),
    "New password": "รหัสผ่านใหม่",
    "Your session expired after a period of inactivity. Please sign in again.": (
        "หมดเวลาการใช้งานเนื่องจากไม่มีการใช้งานนานเกินไป กรุณาเข้าสู่ระบบอีกครั้ง"
    ),
    "name (Thai)": "ชื่อ (ภาษาไทย)",
    "name (English)": "ชื่อ (ภาษาอังกฤษ)",
    "position": "ตำแหน่ง",
    "role": "บทบาท",
    "scope": "ขอบเขตพื้นที่",
    "area code": "รหัสพื้นที่",
    "name": "ชื่อ",
    "System administrator": "ผู้ดูแลระบบ",
    "Executive": "ผู้บริหาร",
    "Regional director": "ผู้อำนวยการภาค",
    "Project officer": "เจ้าหน้าที่โครงการ",
    "Finance officer": "เจ้าหน้าที่การเงิน",
    "Procurement officer": "เจ้าหน้าที่พัสดุ",
    "HR officer": "เจ้าหน้าที่บุคคล",
    "Internal auditor": "ผู้ตรวจสอบภายใน",
    "Data protection officer": "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล",
    "Knowledge officer": "เจ้าหน้าที่จัดการความรู้",
    "Community leader": "ผู้นำชุมชน",
    "Partner agency (API client)": "หน่วยงานภาคี (เชื่อมต่อผ่าน API)",
    "Whole country": "ทั้งประเทศ",
    "CODI region": "ภาค (พอช.)",
    "Province": "จังหวัด",
    "District": "อำเภอ",
    "Subdistrict": "ตำบล",
    "Sign in": "เข้าสู่ระบบ",
    "Two-step verification": "การยืนยันตัวตนสองขั้นตอน",
    "Open your authenticator app and type the 6-digit code. Lost your phone? Use one of your recovery codes.": (
        "เปิดแอปยืนยันตัวตนแล้วพิมพ์รหัส 6 หลัก หากโทรศัพท์หาย ให้ใช้รหัสกู้คืนรหัสใดรหัสหนึ่ง"
    ),
    "Verify": "ยืนยัน",
    "Recovery codes": "รหัสกู้คืน",
    "Your recovery codes": "รหัสกู้คืนของคุณ",
    "Keep these codes somewhere safe. Each one works once, if you lose your phone. They are shown only now.": (
        "เก็บรหัสเหล่านี้ไว้ในที่ปลอดภัย ใช้ได้รหัสละหนึ่งครั้งเมื่อโทรศัพท์หาย ระบบจะแสดงเพียงครั้งนี้เท่านั้น"
    ),
    "I have saved them — continue": "บันทึกไว้แล้ว — ดำเนินการต่อ",
    "Set up two-step verification": "ตั้งค่าการยืนยันตัวตนสองขั้นตอน",
    "Staff accounts need a second step. Scan this code with an authenticator app (Google Authenticator, "
    "Microsoft Authenticator, FreeOTP), then type the 6-digit code it shows.": (
        "บัญชีเจ้าหน้าที่ต้องยืนยันตัวตนสองขั้นตอน สแกนรหัสนี้ด้วยแอปยืนยันตัวตน "
        "(Google Authenticator, Microsoft Authenticator, FreeOTP) แล้วพิมพ์รหัส 6 หลักที่แอปแสดง"
    ),
    "Cannot scan? Enter this key by hand:": "สแกนไม่ได้? พิมพ์รหัสลับนี้ในแอปแทน:",
    "Confirm": "ยืนยัน",
    "My profile": "ข้อมูลของฉัน",
    "Roles": "บทบาท",
    "No roles": "ยังไม่มีบทบาท",
    "On.": "เปิดใช้งานแล้ว",
    "Make new recovery codes": "สร้างรหัสกู้คืนชุดใหม่",
    "Change password": "เปลี่ยนรหัสผ่าน",
    "At least 12 characters; not a common password.": "อย่างน้อย 12 ตัวอักษร และไม่ใช่รหัสผ่านที่คาดเดาง่าย",
    "Sessions": "การเข้าใช้งาน",
    "Sign out on every device": "ออกจากระบบทุกอุปกรณ์",
    "Roles and areas": "บทบาทและพื้นที่",
    "Granted": "วันที่ได้รับสิทธิ์",
    "Remove": "ถอนสิทธิ์",
    "Assign a role": "มอบบทบาท",
    "Assign": "มอบบทบาท",
    "Deactivate this account": "ระงับบัญชีนี้",
    "Reactivate this account": "เปิดใช้บัญชีนี้อีกครั้ง",
    "Users & roles": "ผู้ใช้และสิทธิ์",
    "Search": "ค้นหา",
    "Name": "ชื่อ",
    "New user": "เพิ่มผู้ใช้",
    "Create user": "สร้างผู้ใช้",
    "Too many failed attempts. This account is locked for 15 minutes.": (
        "ใส่รหัสผ่านผิดหลายครั้งเกินไป บัญชีนี้ถูกล็อก 15 นาที"
    ),
    "Wrong username or password.": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง",
    "You have signed out.": "ออกจากระบบแล้ว",
    "That code is not right. Check the time on your phone and try the newest code.": (
        "รหัสไม่ถูกต้อง ตรวจสอบเวลาในโทรศัพท์แล้วลองรหัสล่าสุด"
    ),
    "That code is not right.": "รหัสไม่ถูกต้อง",
    "Your password has been changed.": "เปลี่ยนรหัสผ่านแล้ว",
    "You have been signed out on every device.": "ออกจากระบบทุกอุปกรณ์แล้ว",
    "User %(name)s created.": "สร้างผู้ใช้ %(name)s แล้ว",
    "Role assigned.": "มอบบทบาทแล้ว",
    "Role removed.": "ถอนบทบาทแล้ว",
    "My work": "งานของฉัน",
    "Organizations": "องค์กรชุมชน",
    "Audit log": "บันทึกการตรวจสอบ",
    "API": "API",
    "User": "ผู้ใช้",
    "Action": "การกระทำ",
    "Object type": "ประเภทข้อมูล",
    "From": "ตั้งแต่",
    "To": "ถึง",
    "Filter": "กรอง",
    "Export to Excel (CSV)": "ส่งออกเป็น Excel (CSV)",
    "Time": "เวลา",
    "Object": "ข้อมูล",
    "Details": "รายละเอียด",
    "No entries match these filters.": "ไม่พบรายการตามเงื่อนไขนี้",
    "CODI Digital Platform": "แพลตฟอร์มดิจิทัล พอช.",
    "CODI": "พอช.",
    "Skip to content": "ข้ามไปยังเนื้อหา",
    "Main menu": "เมนูหลัก",
    "Sign out": "ออกจากระบบ",
    "Community Organizations Development Institute (Public Organization)": (
        "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
    ),
    "Area data: GeoThai (CC BY 4.0)": "ข้อมูลพื้นที่: GeoThai (CC BY 4.0)",
    "You do not have access to this page": "คุณไม่มีสิทธิ์เข้าถึงหน้านี้",
    "Your role or area does not include it. Ask a system administrator if you need it.": (
        "บทบาทหรือพื้นที่ของคุณไม่ครอบคลุมหน้านี้ หากจำเป็นโปรดติดต่อผู้ดูแลระบบ"
    ),
    "Page not found": "ไม่พบหน้านี้",
    "The page may have moved or the link is wrong.": "หน้านี้อาจถูกย้าย หรือลิงก์ไม่ถูกต้อง",
    "Back to my work": "กลับไปที่งานของฉัน",
    "Today": "วันนี้",
    "In your areas": "ในพื้นที่ของคุณ",
    "community organizations": "องค์กรชุมชน",
    "provinces": "จังหวัด",
    "districts": "อำเภอ",
    "subdistricts": "ตำบล",
    "Your roles": "บทบาทของคุณ",
    "You have no roles yet. Ask a system administrator to assign one.": (
        "คุณยังไม่มีบทบาท โปรดติดต่อผู้ดูแลระบบเพื่อขอสิทธิ์"
    ),
    "Community organizations": "องค์กรชุมชน",
    "All": "ทั้งหมด",
    "Type": "ประเภท",
    "Founded": "ก่อตั้ง",
    "demo": "ตัวอย่าง",
    "No organizations in your areas match these filters.": "ไม่พบองค์กรในพื้นที่ของคุณตามเงื่อนไขนี้",
    "Pages": "หน้า",
    "Previous": "ก่อนหน้า",
    "Page %(n)s of %(total)s": "หน้า %(n)s จาก %(total)s",
    "Next": "ถัดไป",
    "API keys (partner systems)": "กุญแจ API (ระบบของหน่วยงานภาคี)",
    "Copy this key now; it will not be shown again:": "คัดลอกกุญแจนี้เก็บไว้ทันที ระบบจะไม่แสดงอีก:",
    "Key starts with": "ขึ้นต้นด้วย",
    "Created": "สร้างเมื่อ",
    "Last used": "ใช้ล่าสุด",
    "Revoke": "ยกเลิก",
    "Revoked": "ยกเลิกแล้ว",
    "No API keys": "ยังไม่มีกุญแจ API",
    "New key name": "ชื่อกุญแจใหม่",
    "Create API key": "สร้างกุญแจ API",
    "API key revoked.": "ยกเลิกกุญแจ API แล้ว",
}
TH_PLURAL: dict[str, str] = {
    "%(n)s organization": "%(n)s องค์กร",
}


def main() -> int:
    path = Path(__file__).resolve().parent.parent / "src/codi/locale/th/LC_MESSAGES/django.po"
    catalogue = polib.pofile(str(path))
    catalogue.metadata["Language"] = "th"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    missing = []
    for entry in catalogue:
        if entry.msgid_plural:
            if not entry.msgstr_plural.get(0):
                text = TH_PLURAL.get(entry.msgid, "")
                entry.msgstr_plural = {0: text}
            if not entry.msgstr_plural.get(0):
                missing.append(entry.msgid)
        else:
            if not entry.msgstr:
                entry.msgstr = TH.get(entry.msgid, "")
            if not entry.msgstr:
                missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save(str(path))
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
