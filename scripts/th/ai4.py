"""Thai text for KM with AI, round two: official sources per Act, lesson summaries, related knowledge."""

TH: dict[str, str] = {
    "%(title)s at the Office of the Council of State": "%(title)s ที่สำนักงานคณะกรรมการกฤษฎีกา",
    "Search the current text": "ค้นฉบับปัจจุบัน",
    "for “%(title)s”": "โดยค้นชื่อ “%(title)s”",
    "the text quoted here is as of B.E. %(year)s; later amendments are not included": (
        "ตัวบทที่อ้างในหน้านี้เป็นฉบับ พ.ศ. %(year)s การแก้ไขหลังจากนั้นยังไม่รวมอยู่"
    ),
    "Draft a lesson from the project": "ร่างบทเรียนจากโครงการ",
    "Suggested summary from the final report": "สรุปที่ระบบเสนอจากรายงานฉบับสมบูรณ์",
    "These are the final report's most central sentences, in their own order. Keep them, edit them or write your own summary below; nothing is saved until you save.": (
        "ประโยคเหล่านี้เป็นประโยคหลักของรายงานฉบับสมบูรณ์ เรียงตามลำดับในรายงาน "
        "ใช้ได้ตามนี้ แก้ไข หรือเขียนสรุปเองในช่องด้านล่าง ระบบยังไม่บันทึกจนกว่าจะกดบันทึก"
    ),
    "Save the lesson": "บันทึกบทเรียน",
    "The project has no final report text to summarise; please write the summary yourself.": (
        "โครงการนี้ไม่มีข้อความรายงานฉบับสมบูรณ์ให้สรุป กรุณาเขียนสรุปเอง"
    ),
    "The final report is not in Thai, so no summary could be suggested; please write the summary yourself.": (
        "รายงานฉบับสมบูรณ์ไม่ได้เขียนเป็นภาษาไทย ระบบจึงเสนอสรุปไม่ได้ กรุณาเขียนสรุปเอง"
    ),
    "The final report is too short to summarise; please write the summary yourself.": (
        "รายงานฉบับสมบูรณ์สั้นเกินกว่าจะสรุปได้ กรุณาเขียนสรุปเอง"
    ),
    "Someone asked this before": "มีคนเคยถามเรื่องนี้แล้ว",
    "No similar question has been asked yet.": "ยังไม่มีคำถามที่คล้ายกัน",
    "Has someone asked this before?": "มีคนเคยถามเรื่องนี้หรือยัง",
}
