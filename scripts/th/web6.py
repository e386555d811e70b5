"""Thai text for the public website (codi.website), round six: the live blocks' own labels and notes,
the contact form's labels, help and errors, the event and announcement pages' labels."""

TH: dict[str, str] = {
    # live blocks
    "This information cannot be shown right now. Please try again later.": (
        "ขณะนี้ไม่สามารถแสดงข้อมูลได้ โปรดลองใหม่ภายหลัง"
    ),
    "No open datasets published yet.": "ยังไม่มีชุดข้อมูลที่เผยแพร่",
    "No knowledge articles published yet.": "ยังไม่มีบทความ",
    "Disbursed (baht)": "เบิกจ่ายแล้ว (บาท)",
    "Source: the project management system, latest figures": "ที่มา: ระบบบริหารโครงการ ข้อมูลล่าสุด",
    "Estimated amount (baht)": "วงเงินประมาณการ (บาท)",
    "No procurement plan published yet for this year.": "ยังไม่มีแผนการจัดซื้อจัดจ้างที่เผยแพร่ของปีนี้",
    # event and announcement pages
    "Announced on %(date)s": "ประกาศวันที่ %(date)s",
    "Date and time": "วันเวลา",
    "Place": "สถานที่",
    # the contact form (contact page and feedback block)
    'What you send is used as CODI\'s <a href="%(url)s">privacy notice</a> says.': (
        'ข้อมูลที่ท่านส่งจะใช้ตาม<a href="%(url)s">ประกาศความเป็นส่วนตัว</a>ของ พอช.'
    ),
    "A complaint": "เรื่องร้องเรียน",
    "A question": "สอบถาม",
    "A suggestion": "ข้อเสนอแนะ",
    "What is your message about?": "ประเภทเรื่อง",
    "Please choose what your message is about.": "กรุณาเลือกประเภทเรื่อง",
    "Please choose one of the kinds listed.": "กรุณาเลือกประเภทเรื่องจากรายการ",
    "Your message": "รายละเอียด",
    "At least 10 characters. Please do not include other people's personal data.": (
        "อย่างน้อย 10 ตัวอักษร โปรดอย่าใส่ข้อมูลส่วนบุคคลของผู้อื่น"
    ),
    "Please write your message.": "กรุณากรอกรายละเอียด",
    "Please write at least %(limit_value)d characters.": "กรุณากรอกอย่างน้อย %(limit_value)d ตัวอักษร",
    "Please keep your message within %(limit_value)d characters.": "กรุณากรอกไม่เกิน %(limit_value)d ตัวอักษร",
    "Full name (optional)": "ชื่อ-นามสกุล (ไม่บังคับ)",
    "Email (optional)": "อีเมล (ไม่บังคับ)",
    "Please enter an email address such as name@example.com.": "กรุณากรอกอีเมลให้ถูกต้อง เช่น name@example.com",
    "I agree that CODI may use this information to answer my message, as the privacy notice says": (
        "ข้าพเจ้ายินยอมให้ พอช. ใช้ข้อมูลนี้เพื่อตอบเรื่องของข้าพเจ้าตามประกาศความเป็นส่วนตัว"
    ),
    "Please agree to the privacy notice before sending your message.": (
        "กรุณายินยอมตามประกาศความเป็นส่วนตัวก่อนส่งเรื่อง"
    ),
    "You have sent several messages in a short time. Please wait a moment and try again.": (
        "ส่งเรื่องบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่"
    ),
    "Your website": "เว็บไซต์ของท่าน",
    "Send your message": "ส่งเรื่อง",
}
