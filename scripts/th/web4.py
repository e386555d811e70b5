"""Thai text for the public website (codi.website), round four: the page frame, the procurement results
and feedback form blocks, the Official Information Act page."""

TH: dict[str, str] = {
    # the page frame (header, footer, cookie banner)
    "Community Organizations Development Institute": "สถาบันพัฒนาองค์กรชุมชน",
    "CODI news (RSS)": "ข่าวสาร พอช. (RSS)",
    "CODI news (Atom)": "ข่าวสาร พอช. (Atom)",
    "Demo website: all content is sample data": "เว็บไซต์สาธิต: เนื้อหาทั้งหมดเป็นข้อมูลตัวอย่าง",
    "Staff sign-in": "เข้าสู่ระบบเจ้าหน้าที่",
    "Community Organizations Development Institute (Public Organization) · 912 Nawamin Road, Khlong Chan, Bang Kapi, Bangkok 10240": (
        "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน) · 912 ถนนนวมินทร์ แขวงคลองจั่น เขตบางกะปิ กรุงเทพฯ 10240"
    ),
    "News feed (RSS)": "ฟีดข่าว RSS",
    "Sitemap": "แผนผังเว็บไซต์",
    "Cookies on this website": "การใช้คุกกี้",
    "This website uses only the cookies it needs to work. Other cookies (such as visit statistics) are used only with your consent.": (
        "เว็บไซต์นี้ใช้เฉพาะคุกกี้ที่จำเป็นต่อการทำงาน คุกกี้อื่น (เช่น สถิติการเข้าชม) จะใช้เมื่อท่านยินยอมเท่านั้น"
    ),
    "Read the privacy notice": "อ่านประกาศความเป็นส่วนตัว",
    "Essential cookies only": "ใช้เฉพาะคุกกี้ที่จำเป็น",
    "Accept all": "ยอมรับทั้งหมด",
    # the procurement results block
    "fiscal year %(year)s": "ปีงบประมาณ %(year)s",
    "What was bought": "รายการที่จัดซื้อจัดจ้าง",
    "Contract amount (baht)": "วงเงินตามสัญญา (บาท)",
    "No procurement results announced yet for this year.": "ยังไม่มีประกาศผลการจัดซื้อจัดจ้างของปีนี้",
    "All procurement announcements": "ประกาศจัดซื้อจัดจ้างทั้งหมด",
    # the feedback form block and its page
    "Send us a message": "ส่งเรื่องถึง พอช.",
    "We have received your message. Thank you for writing to us.": "ได้รับเรื่องของท่านแล้ว ขอบคุณที่ติดต่อเรา",
    "Follow your message here": "ติดตามเรื่องได้ที่หน้าติดตามเรื่อง",
    "Back to the page you were reading": "กลับไปยังหน้าที่ท่านอ่านอยู่",
    # the Official Information Act page (s.7 and s.9) and the checklist
    "How the agency is structured and organised to do its work": "โครงสร้างและการจัดองค์กรในการดำเนินงาน",
    "A summary of its main powers and duties and how it works": "สรุปอำนาจหน้าที่ที่สำคัญและวิธีการดำเนินงาน",
    "Where and how to ask for information, advice or services": "สถานที่ติดต่อเพื่อขอรับข้อมูลข่าวสาร คำแนะนำ หรือบริการ",
    "Rules, regulations, orders, circulars, policies and interpretations that bind the public": (
        "กฎ ระเบียบ คำสั่ง หนังสือเวียน นโยบาย และการตีความที่มีผลเป็นการทั่วไปต่อเอกชน"
    ),
    "Other information the Official Information Board requires to be published": (
        "ข้อมูลข่าวสารอื่นที่คณะกรรมการข้อมูลข่าวสารของราชการกำหนดให้ลงพิมพ์"
    ),
    "Decisions that directly affect private persons, with dissenting opinions and orders": (
        "ผลการพิจารณาหรือคำวินิจฉัยที่มีผลโดยตรงต่อเอกชน รวมทั้งความเห็นแย้งและคำสั่งที่เกี่ยวข้อง"
    ),
    "Policies and interpretations not published under section 7": "นโยบายหรือการตีความที่ไม่ได้ลงพิมพ์ตามมาตรา 7",
    "Work plans, projects and the year's budget": "แผนงาน โครงการ และงบประมาณรายจ่ายประจำปี",
    "Work manuals and orders that affect the rights and duties of private persons": (
        "คู่มือหรือคำสั่งเกี่ยวกับวิธีปฏิบัติงานที่กระทบถึงสิทธิหน้าที่ของเอกชน"
    ),
    "Publications referred to in section 7": "สิ่งพิมพ์ที่อ้างถึงตามมาตรา 7 วรรคสอง",
    "Concessions, monopoly agreements and joint ventures with private persons for public services": (
        "สัญญาสัมปทาน สัญญาที่มีลักษณะผูกขาดตัดตอน หรือสัญญาร่วมทุนกับเอกชนในการจัดทำบริการสาธารณะ"
    ),
    "Resolutions of the Cabinet and of boards set up by law, with the reports they relied on": (
        "มติคณะรัฐมนตรีหรือมติคณะกรรมการที่แต่งตั้งโดยกฎหมาย พร้อมรายงานที่ใช้ประกอบการพิจารณา"
    ),
    "Other information the Board requires: the monthly summaries of procurement results": (
        "ข้อมูลข่าวสารอื่นตามที่คณะกรรมการฯ กำหนด: สรุปผลการจัดซื้อจัดจ้างรายเดือน"
    ),
    "Section 7: information published in the Government Gazette": "มาตรา 7 ข้อมูลข่าวสารที่ลงพิมพ์ในราชกิจจานุเบกษา",
    "Section 9: information open for anyone to inspect": "มาตรา 9 ข้อมูลข่าวสารที่จัดไว้ให้ประชาชนตรวจดู",
    "Section item": "ข้อ",
    "Information": "ข้อมูลข่าวสาร",
    "Where it is published": "ที่เผยแพร่",
    "s.%(code)s": "มาตรา %(code)s",
    "evidence of": "หลักฐานวันที่",
    "Not published yet": "ยังไม่เผยแพร่",
    "Official Information Act, sections 7 and 9": "พระราชบัญญัติข้อมูลข่าวสารของราชการ มาตรา 7 และมาตรา 9",
    "Every item of the Act is published.": "เผยแพร่ครบทุกรายการตามกฎหมายแล้ว",
}

TH_PLURAL: dict[str, str] = {
    "%(counter)s item of the Act is not published yet.": "ยังไม่เผยแพร่ %(counter)s รายการตามกฎหมาย",
}
