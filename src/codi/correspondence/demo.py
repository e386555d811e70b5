"""Demo correspondence (``manage.py load_correspondence_demo``): registers for the demo units, the
demo officer as the Northeast office's registrar (so "new letter" works for them), and a dozen
realistic Thai letters (incoming, outgoing, memos) registered, numbered and routed through the
services, some already acknowledged. Every subject ends in "(ตัวอย่าง)"; a second run adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from codi.correspondence import services
from codi.correspondence.models import Letter, LetterKind, Secrecy, Urgency, YearBasis
from codi.identity.models import OrgUnit, User

DEMO_MARK = "(ตัวอย่าง)"
# unit code, letter code in document numbers, registrar usernames
REGISTERS = [
    ("REG-NE", "พอช ๐๔", ["demo_officer"]),
    ("HQ", "พอช ๐๑", ["demo_admin"]),
    ("HQ-FIN", "พอช ๐๑.๓", ["demo_finance"]),
]

# unit, kind, urgency, subject, sender or recipient, their number, body, route to (units, users), acknowledged
LETTERS = [
    ("REG-NE", LetterKind.INCOMING, Urgency.URGENT, "ขอความร่วมมือสำรวจครัวเรือนผู้ประสบอุทกภัยในเขตอำเภอเมืองขอนแก่น",
     "ศาลากลางจังหวัดขอนแก่น", "ขก ๐๐๑๗.๒/ว ๔๕๑๒",
     "ด้วยจังหวัดขอนแก่นได้รับผลกระทบจากอุทกภัย จึงขอความร่วมมือสถาบันพัฒนาองค์กรชุมชนร่วมสำรวจครัวเรือนที่ได้รับความเสียหายและจัดทำข้อมูลเสนอภายใน ๑๕ วัน",
     ([], ["demo_director"]), True),
    ("REG-NE", LetterKind.INCOMING, Urgency.NORMAL, "ขอรับการสนับสนุนโครงการบ้านมั่นคงชุมชนท่าพระ",
     "สภาองค์กรชุมชนตำบลท่าพระ", "สอช.ทพ. ๐๒๑/๒๕๖๙",
     "สภาองค์กรชุมชนตำบลท่าพระได้จัดเวทีประชาคมและสำรวจข้อมูลผู้เดือดร้อนด้านที่อยู่อาศัยจำนวน ๔๒ ครัวเรือน จึงขอเสนอโครงการบ้านมั่นคงเพื่อขอรับการสนับสนุนงบประมาณ",
     ([], ["demo_officer"]), False),
    ("REG-NE", LetterKind.INCOMING, Urgency.NORMAL, "เชิญประชุมคณะทำงานขับเคลื่อนสวัสดิการชุมชนระดับจังหวัด",
     "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดขอนแก่น", "ขก ๐๐๑๔/๓๓๒๑",
     "ขอเชิญผู้แทนสถาบันฯ เข้าร่วมประชุมคณะทำงานในวันพฤหัสบดี เวลา ๐๙.๓๐ น. ณ ห้องประชุมศาลากลางจังหวัดขอนแก่น ชั้น ๒",
     ([], ["demo_director"]), True),
    ("REG-NE", LetterKind.INCOMING, Urgency.VERY_URGENT, "ขอข้อมูลองค์กรชุมชนที่ได้รับการสนับสนุนงบประมาณปี ๒๕๖๘",
     "สำนักงานตรวจเงินแผ่นดินภูมิภาคที่ ๙", "ตผ ๐๐๒๙/๑๑๘",
     "เพื่อประกอบการตรวจสอบการใช้จ่ายงบประมาณ ขอให้จัดส่งรายชื่อองค์กรชุมชนที่ได้รับการสนับสนุน วงเงินที่อนุมัติ และผลการเบิกจ่าย ภายใน ๗ วันทำการ",
     (["HQ-FIN"], []), False),
    ("REG-NE", LetterKind.OUTGOING, Urgency.NORMAL, "แจ้งผลการพิจารณาอนุมัติโครงการบ้านมั่นคง",
     "ประธานสภาองค์กรชุมชนตำบลท่าพระ", "",
     "ตามที่สภาองค์กรชุมชนตำบลท่าพระได้เสนอโครงการบ้านมั่นคง คณะกรรมการภาคได้พิจารณาแล้วเห็นชอบ จึงขอให้ติดต่อสำนักงานภาคเพื่อลงนามสัญญาภายใน ๓๐ วัน",
     ([], []), False),
    ("REG-NE", LetterKind.OUTGOING, Urgency.URGENT, "ขอความอนุเคราะห์ตรวจสอบสิทธิการใช้ที่ดินสาธารณประโยชน์",
     "นายอำเภอเมืองขอนแก่น", "",
     "ด้วยชุมชนในเขตตำบลท่าพระประสงค์จะใช้ที่ดินสาธารณประโยชน์เพื่อจัดทำที่อยู่อาศัยมั่นคง จึงขอความอนุเคราะห์ตรวจสอบสถานะและสิทธิการใช้ที่ดินแปลงดังกล่าว",
     ([], []), False),
    ("REG-NE", LetterKind.OUTGOING, Urgency.NORMAL, "ส่งรายงานผลการสำรวจครัวเรือนผู้ประสบอุทกภัย",
     "ผู้ว่าราชการจังหวัดขอนแก่น", "",
     "ตามหนังสือที่อ้างถึง สถาบันฯ ร่วมกับเครือข่ายองค์กรชุมชนได้สำรวจครัวเรือนผู้ประสบอุทกภัยแล้ว ๓๑๒ ครัวเรือน รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย",
     ([], []), False),
    ("REG-NE", LetterKind.MEMO, Urgency.NORMAL, "ขออนุมัติเดินทางไปราชการติดตามโครงการในจังหวัดขอนแก่น",
     "ผู้อำนวยการภาคตะวันออกเฉียงเหนือ", "",
     "ด้วยมีความจำเป็นต้องลงพื้นที่ติดตามความก้าวหน้าโครงการบ้านมั่นคงและกองทุนสวัสดิการชุมชน จำนวน ๖ ตำบล จึงขออนุมัติเดินทางไปราชการระหว่างวันที่ ๑๐–๑๒ ของเดือนหน้า",
     ([], ["demo_director"]), False),
    ("HQ-FIN", LetterKind.MEMO, Urgency.URGENT, "แจ้งกำหนดการเบิกจ่ายงวดเงินโครงการไตรมาสที่ ๒",
     "ผู้อำนวยการภาคทุกภาค", "",
     "ฝ่ายการเงินและบัญชีขอแจ้งกำหนดตัดรอบการเบิกจ่ายงวดเงินโครงการ ขอให้สำนักงานภาคส่งเอกสารประกอบการเบิกจ่ายที่ครบถ้วนก่อนวันที่ ๒๕ ของทุกเดือน",
     (["REG-NE"], []), True),
    ("HQ", LetterKind.MEMO, Urgency.NORMAL, "ขอเชิญเข้ารับการอบรมการใช้ระบบสารบรรณอิเล็กทรอนิกส์",
     "เจ้าหน้าที่ทุกส่วนงาน", "",
     "ฝ่ายเทคโนโลยีสารสนเทศจะจัดอบรมการใช้ระบบสารบรรณอิเล็กทรอนิกส์และการลงลายมือชื่ออิเล็กทรอนิกส์ ขอให้แต่ละส่วนงานส่งรายชื่อผู้เข้าอบรมส่วนงานละ ๒ คน",
     (["REG-NE", "HQ-FIN"], []), False),
    ("HQ", LetterKind.INCOMING, Urgency.NORMAL, "แจ้งแนวทางการจัดทำรายงานประจำปีขององค์การมหาชน",
     "สำนักงาน ก.พ.ร.", "นร ๑๒๐๐/ว ๐๘",
     "ขอแจ้งแนวทางและกำหนดการจัดส่งรายงานประจำปีขององค์การมหาชน โดยให้จัดส่งภายในเดือนมีนาคมของปีถัดไป",
     (["REG-NE"], []), False),
    ("HQ-FIN", LetterKind.INCOMING, Urgency.NORMAL, "ยืนยันยอดเงินฝากธนาคาร ณ วันสิ้นปีงบประมาณ",
     "ธนาคารกรุงไทย จำกัด (มหาชน) สาขาขอนแก่น", "กท.ขก. ๒๒๓/๒๕๖๙",
     "ธนาคารขอยืนยันยอดเงินฝากบัญชีของสถาบันฯ ณ วันที่ ๓๐ กันยายน ตามรายละเอียดที่แนบมาพร้อมนี้",
     ([], []), False),
]  # fmt: skip


@dataclass
class CorrespondenceDemoSummary:
    registrars: int
    letters: int


def correspondence_demo_load() -> CorrespondenceDemoSummary:
    """Registers, registrars and the demo letters; nothing new on a second run."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[r[0] for r in REGISTERS])}
    users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    if not units or "demo_officer" not in users:
        raise RuntimeError("ไม่พบบัญชีตัวอย่าง: เรียก manage.py load_demo ก่อน / run manage.py load_demo first")
    registrars = 0
    letters = 0
    with transaction.atomic():
        for code, letter_code, usernames in REGISTERS:
            unit = units.get(code)
            if unit is None:
                continue
            services.register_book_set(
                actor=None,
                org_unit=unit,
                letter_code=letter_code,
                year_basis=YearBasis.FISCAL,
                thai_digits=True,
            )
            for username in usernames:
                if username in users:
                    services.registrar_assign(actor=None, user=users[username], org_unit=unit)
                    registrars += 1
        if Letter.objects.filter(subject__endswith=DEMO_MARK).exists():
            return CorrespondenceDemoSummary(registrars, 0)
        registrar_of = {code: users[names[0]] for code, _, names in REGISTERS if names[0] in users}
        director = users.get("demo_director")
        today = timezone.localdate()
        for i, (code, kind, urgency, subject, party, number, body, route, acknowledged) in enumerate(LETTERS):
            unit, actor = units.get(code), registrar_of.get(code)
            if unit is None or actor is None:
                continue
            incoming = kind == LetterKind.INCOMING
            letter = services.letter_register(
                actor=actor,
                org_unit=unit,
                data=services.LetterData(
                    kind=kind,
                    subject=f"{subject} {DEMO_MARK}",
                    letter_date=today - timedelta(days=3 * (len(LETTERS) - i)),
                    urgency=urgency,
                    secrecy=Secrecy.NORMAL,
                    document_number=number if incoming else "",
                    sender=party if incoming else "",
                    recipient="" if incoming else party,
                    salutation="" if incoming else "เรียน",
                    body=body,
                    closing="" if incoming else "ขอแสดงความนับถือ",
                    signer_id=director.pk if director and not incoming and code == "REG-NE" else None,
                    signer_name=director.get_full_name()
                    if director and not incoming and code == "REG-NE"
                    else "",
                    signer_position="ผู้อำนวยการภาคตะวันออกเฉียงเหนือ"
                    if not incoming and code == "REG-NE"
                    else "",
                    contact=f"{unit.name_th} โทร. ๐ ๔๓๒๒ ๐๐๐๐" if not incoming else "",
                ),
            )
            letters += 1
            to_units, to_users = route
            if to_units or to_users:
                routings = services.letter_route(
                    actor=actor,
                    letter=letter,
                    to_unit_ids=[units[c].pk for c in to_units if c in units],
                    to_user_ids=[users[u].pk for u in to_users if u in users],
                    instruction="เพื่อโปรดพิจารณาดำเนินการ",
                )
                if acknowledged:
                    for routing in routings:
                        reader = users.get(to_users[0]) if to_users else registrar_of.get(to_units[0])
                        if reader is not None:
                            services.routing_acknowledge(actor=reader, routing=routing)
    return CorrespondenceDemoSummary(registrars, letters)
