"""Thai text for train7's English message ids (training courses, certificates, evaluation, the
supervisor's assessment of digital skills, the self-assessment export)."""

TH: dict[str, str] = {
    # models
    "verification code": "รหัสตรวจสอบ",
    "issued on": "วันที่ออก",
    "satisfaction (1-5)": "ความพึงพอใจ (1–5)",
    "pre-test score": "คะแนนก่อนอบรม",
    "post-test score": "คะแนนหลังอบรม",
    "supervisor's skill assessment": "การประเมินทักษะดิจิทัลโดยผู้บังคับบัญชา",
    # course pages
    "Training courses": "หลักสูตรฝึกอบรม",
    "Check a certificate": "ตรวจสอบเกียรติบัตร",
    "Audience": "กลุ่มเป้าหมาย",
    "No courses.": "ยังไม่มีหลักสูตร",
    "Participants": "ผู้เข้าอบรม",
    "Participant": "ผู้เข้าอบรม",
    "Satisfied (4 or 5 of 5)": "พึงพอใจ (ระดับ 4 หรือ 5 จาก 5)",
    "Mean satisfaction": "ความพึงพอใจเฉลี่ย",
    "Mean pre-test and post-test score": "คะแนนเฉลี่ยก่อนและหลังอบรม",
    "Mean gain (points)": "คะแนนที่เพิ่มขึ้นเฉลี่ย (คะแนน)",
    "Download all certificates (zip)": "ดาวน์โหลดเกียรติบัตรทั้งหมด (ไฟล์ zip)",
    "Satisfaction": "ความพึงพอใจ",
    "Pre-test": "ก่อนอบรม",
    "Post-test": "หลังอบรม",
    "Certificate": "เกียรติบัตร",
    "Certificate (PDF)": "เกียรติบัตร (PDF)",
    "No participants.": "ยังไม่มีผู้เข้าอบรม",
    "Record an evaluation": "บันทึกผลการประเมิน",
    "Satisfaction (1 = least, 5 = most)": "ความพึงพอใจ (1 = น้อยที่สุด, 5 = มากที่สุด)",
    "Pre-test score (0-100)": "คะแนนก่อนอบรม (0–100)",
    "Post-test score (0-100)": "คะแนนหลังอบรม (0–100)",
    "The evaluation was saved.": "บันทึกผลการประเมินแล้ว",
    # the public verify page
    "Check a training certificate": "ตรวจสอบเกียรติบัตรการอบรม",
    "Verification code": "รหัสตรวจสอบ",
    "This certificate is genuine": "เกียรติบัตรนี้ออกโดย พอช. จริง",
    "Holder": "ผู้ได้รับ",
    "Issued on": "วันที่ออก",
    "Only the first name and the initial of the surname are shown; compare them with the certificate.": "แสดงเฉพาะชื่อและอักษรแรกของนามสกุล โปรดเทียบกับเกียรติบัตร",
    "No certificate has this code.": "ไม่พบเกียรติบัตรที่มีรหัสนี้",
    # the supervisor's assessment
    "My team's digital skills": "ทักษะดิจิทัลของทีม",
    "As the unit head, confirm each person's level in each skill group. Your level counts for the plan's indicator of staff applying digital skills at work.": "ในฐานะหัวหน้าหน่วยงาน โปรดยืนยันระดับของแต่ละคนในแต่ละกลุ่มทักษะ ระดับที่คุณยืนยันจะใช้นับตัวชี้วัดบุคลากรที่นำทักษะดิจิทัลไปใช้ในการทำงานตามแผน",
    "Self-assessed": "ประเมินตนเอง",
    "Nobody in your team.": "ไม่มีบุคลากรในทีม",
    "The assessment was saved.": "บันทึกผลการประเมินแล้ว",
    "Where the unit head assessed a staff member for the fiscal year, the head's level decides instead of the courses: level 3 or above in any skill group counts as applying digital skills at work, and in the AI group as using AI.": "หากหัวหน้าหน่วยงานประเมินพนักงานคนใดในปีงบประมาณนั้นแล้ว จะนับตามระดับที่หัวหน้ายืนยันแทนการเข้าอบรม: ระดับ 3 ขึ้นไปในกลุ่มทักษะใดก็ได้นับเป็นการนำทักษะดิจิทัลไปใช้ในการทำงาน และในกลุ่ม AI นับเป็นการใช้ AI",
    # the self-assessment export
    "Self-assessment summary by unit (Excel)": "สรุปการประเมินตนเองรายหน่วยงาน (Excel)",
}
