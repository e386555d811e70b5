"""Closed demo projects that taught a lesson (issue 25): what a project page recommends.

The generated demo projects share one generic rationale, so a project page's "similar closed
projects" had nothing worth reading. These six closed projects — one per program, in Khon Kaen
beside the demo leader's district — carry real aims in everyday words; the knowledge demo loader
(``load_knowledge_demo``) draws and publishes a lesson from each (``km_demo.json``,
``project_lessons``, by project code). They are made by the demo generator itself (installments,
reports and the step history of a closed project, as every other demo project).
"""

from __future__ import annotations

from dataclasses import dataclass

LESSON_CODE_PREFIX = "DEMO-LESSON-"


@dataclass(frozen=True)
class LessonProject:
    code: str
    program: str  # Program.code
    topic: str  # one of the generator's TOPICS (what the generated projects' titles name)
    title: str
    rationale: str
    objectives: str


LESSON_PROJECTS = [
    LessonProject(
        f"{LESSON_CODE_PREFIX}1", "BMK", "ซ่อมแซมบ้าน",
        "ซ่อมแซมบ้านผู้มีรายได้น้อยชุมชนริมหนองโคตร",
        "บ้านของผู้สูงอายุและครัวเรือนรายได้น้อยทรุดโทรม หลังคารั่ว ชุมชนร่วมกันสำรวจปัญหาผ่านเวทีประชาคม",
        "1. ซ่อมแซมบ้านให้ปลอดภัย 2. ตั้งกลุ่มออมทรัพย์เพื่อที่อยู่อาศัยให้ชุมชนจัดการตนเอง",
    ),
    LessonProject(
        f"{LESSON_CODE_PREFIX}2", "WELFARE", "กองทุนสวัสดิการ",
        "กองทุนสวัสดิการชุมชนดูแลผู้สูงอายุและผู้ป่วยติดเตียง",
        "ผู้สูงอายุและผู้ป่วยติดเตียงขาดคนดูแลและไม่มีเงินเดินทางไปโรงพยาบาล ชุมชนสำรวจปัญหาร่วมกัน",
        "1. ขยายสมาชิกกองทุนสวัสดิการ 2. จัดสวัสดิการเกิด แก่ เจ็บ ตาย ให้ชุมชนจัดการตนเอง",
    ),
    LessonProject(
        f"{LESSON_CODE_PREFIX}3", "COUNCIL", "แผนพัฒนาตำบล",
        "สภาองค์กรชุมชนจัดทำแผนพัฒนาตำบลจากข้อมูลครัวเรือน",
        "แผนพัฒนาตำบลเดิมไม่ตรงกับปัญหาจริงของชุมชน เพราะไม่มีข้อมูลครัวเรือน ชุมชนร่วมกันสำรวจปัญหา",
        "1. เก็บข้อมูลครัวเรือนทั้งตำบล 2. จัดทำแผนพัฒนาตำบลเสนอท้องถิ่นให้ชุมชนจัดการตนเอง",
    ),
    LessonProject(
        f"{LESSON_CODE_PREFIX}4", "LAND", "เกษตรอินทรีย์",
        "เปลี่ยนนาเคมีเป็นเกษตรอินทรีย์และธนาคารเมล็ดพันธุ์",
        "ต้นทุนปุ๋ยเคมีสูง ดินเสื่อม เกษตรกรมีหนี้ ชุมชนร่วมกันสำรวจปัญหาผ่านเวทีประชาคม",
        "1. ปรับพื้นที่นาเป็นเกษตรอินทรีย์ 2. ตั้งธนาคารเมล็ดพันธุ์ให้ชุมชนจัดการตนเอง",
    ),
    LessonProject(
        f"{LESSON_CODE_PREFIX}5", "DISASTER", "ฟื้นฟูหลังน้ำท่วม",
        "ฟื้นฟูหลังน้ำท่วมและแผนรับมือภัยพิบัติโดยชุมชน",
        "น้ำท่วมบ้านเรือนและนาข้าวซ้ำทุกปี ชุมชนไม่มีแผนอพยพ ชุมชนร่วมกันสำรวจปัญหาผ่านเวทีประชาคม",
        "1. ซ่อมบ้านหลังน้ำท่วม 2. ทำแผนที่จุดเสี่ยงและทีมอาสาให้ชุมชนจัดการตนเอง",
    ),
    LessonProject(
        f"{LESSON_CODE_PREFIX}6", "ECONOMY", "ตลาดชุมชน",
        "ตลาดชุมชนขายผักปลอดสารและสินค้าแปรรูป",
        "ชาวบ้านปลูกผักแต่ไม่มีที่ขาย ถูกพ่อค้าคนกลางกดราคา ชุมชนร่วมกันสำรวจปัญหาผ่านเวทีประชาคม",
        "1. เปิดตลาดชุมชนเพิ่มรายได้ครัวเรือน 2. ตั้งคณะกรรมการตลาดจากผู้ขายให้ชุมชนจัดการตนเอง",
    ),
]  # fmt: skip
