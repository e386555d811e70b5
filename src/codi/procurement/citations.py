"""The legal source of every rule this app enforces, shown on the page where it is enforced.

Act sections are quoted from the Public Procurement and Supplies Administration Act B.E. 2560
as kept in the platform's law corpus (``shared/data/thai-law``, act 770079; read on the
knowledge app's act page). The Ministry of Finance regulation B.E. 2560 and the ministerial
regulations on amounts are not in that corpus: they are cited by clause, without a quote.

Templates include ``procurement/_citations.html`` with ``citations`` = ``cite("key", ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass

ACT_ID = "770079"
ACT_URL = f"/knowledge/acts/{ACT_ID}/"
ACT = "พ.ร.บ.การจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560"
REGULATION = "ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560"
AMOUNTS = "กฎกระทรวงกำหนดวงเงินการจัดซื้อจัดจ้างพัสดุโดยวิธีเฉพาะเจาะจง ... พ.ศ. 2560"


@dataclass(frozen=True)
class Citation:
    key: str
    rule_th: str
    source: str
    quote_th: str = ""
    in_corpus: bool = True

    @property
    def url(self) -> str:
        return ACT_URL if self.in_corpus else ""


CITATIONS: dict[str, Citation] = {
    c.key: c
    for c in (
        Citation(
            "plan",
            "จัดทำแผนการจัดซื้อจัดจ้างประจำปีและประกาศเผยแพร่",
            f"{ACT} มาตรา 11",
            "ให้หน่วยงานของรัฐจัดทำแผนการจัดซื้อจัดจ้างประจำปี และประกาศเผยแพร่ในระบบเครือข่าย"
            "สารสนเทศของกรมบัญชีกลางและของหน่วยงานของรัฐ",
        ),
        Citation(
            "conflict",
            "กรรมการทุกคนแสดงว่าไม่มีส่วนได้เสียก่อนพิจารณาหรือตรวจรับ",
            f"{ACT} มาตรา 13",
            "ผู้ที่มีหน้าที่ดำเนินการต้องไม่เป็นผู้มีส่วนได้เสียกับผู้ยื่นข้อเสนอหรือคู่สัญญาในงานนั้น",
        ),
        Citation(
            "methods",
            "วิธีจัดซื้อจัดจ้าง: ประกาศเชิญชวนทั่วไป คัดเลือก เฉพาะเจาะจง",
            f"{ACT} มาตรา 55 และมาตรา 56",
            "การจัดซื้อจัดจ้างพัสดุ ให้หน่วยงานของรัฐเลือกใช้วิธีประกาศเชิญชวนทั่วไปก่อน เว้นแต่ ...",
        ),
        Citation(
            "threshold",
            "วิธีเฉพาะเจาะจงตามวงเงินไม่เกิน 500,000 บาท; การแบ่งวงเงินเพื่อให้ต่ำกว่าเกณฑ์ถูกแจ้งเตือน",
            f"{ACT} มาตรา 56 (2) (ข) และ{AMOUNTS}",
            in_corpus=True,
        ),
        Citation(
            "committees",
            "คณะกรรมการประกอบด้วยประธานและกรรมการอย่างน้อยสองคน; กรรมการซื้อหรือจ้างไม่เป็นกรรมการตรวจรับ"
            "ในการจัดซื้อจัดจ้างครั้งเดียวกัน; วงเงินไม่เกิน 100,000 บาทแต่งตั้งผู้ตรวจรับคนเดียวได้",
            f"{REGULATION} ข้อ 25 และข้อ 26; {ACT} มาตรา 100 วรรคสาม",
            in_corpus=False,
        ),
        Citation(
            "award",
            "ประกาศผลผู้ชนะการจัดซื้อจัดจ้างและเหตุผลสนับสนุน",
            f"{ACT} มาตรา 66",
            "ให้หน่วยงานของรัฐประกาศผลผู้ชนะการจัดซื้อจัดจ้างหรือผู้ได้รับการคัดเลือกและเหตุผลสนับสนุน"
            "ในระบบเครือข่ายสารสนเทศของกรมบัญชีกลางและของหน่วยงานของรัฐ",
        ),
        Citation(
            "inspection",
            "คณะกรรมการตรวจรับพัสดุรับผิดชอบการบริหารสัญญาและตรวจรับ; ตรวจรับภายใน 3 วันทำการนับจากวันส่งมอบ"
            " เกินกำหนดต้องบันทึกเหตุผล",
            f"{ACT} มาตรา 100; {REGULATION} ข้อ 175",
            "ให้ผู้มีอำนาจแต่งตั้งคณะกรรมการตรวจรับพัสดุเพื่อรับผิดชอบการบริหารสัญญาหรือข้อตกลงและการตรวจรับพัสดุ",
        ),
        Citation(
            "penalty",
            "ค่าปรับส่งมอบล่าช้ารายวันในอัตราร้อยละ 0.01-0.20 ของราคาพัสดุที่ส่งมอบล่าช้า; การงดหรือลดค่าปรับเฉพาะกรณีตามกฎหมาย",
            f"{REGULATION} ข้อ 162; {ACT} มาตรา 102",
            "การงดหรือลดค่าปรับให้แก่คู่สัญญา ... ให้อยู่ในดุลพินิจของผู้มีอำนาจ ... เฉพาะในกรณี ดังต่อไปนี้",
        ),
        Citation(
            "custody",
            "ควบคุม ดูแล บันทึก เบิกจ่าย และตรวจสอบพัสดุ (ทะเบียนครุภัณฑ์ บัญชีวัสดุ การโอนย้าย)",
            f"{ACT} มาตรา 112 และมาตรา 113; {REGULATION} ข้อ 203-211",
            "ให้หน่วยงานของรัฐจัดให้มีการควบคุมและดูแลพัสดุที่อยู่ในความครอบครองให้มีการใช้และการบริหารพัสดุ"
            "ที่เหมาะสม คุ้มค่า และเกิดประโยชน์ต่อหน่วยงานของรัฐมากที่สุด",
        ),
        Citation(
            "count",
            "ตรวจสอบพัสดุประจำปี: ตรวจนับครุภัณฑ์ทุกรายการและรายงานผลต่าง",
            f"{REGULATION} ข้อ 213; {ACT} มาตรา 113",
            in_corpus=False,
        ),
        Citation(
            "disposal",
            "การจำหน่ายพัสดุ (ขาย โอน แทงจำหน่ายเป็นสูญ) หลังรายงานของคณะกรรมการ",
            f"{REGULATION} ข้อ 215; {ACT} มาตรา 113",
            in_corpus=False,
        ),
    )
}


def cite(*keys: str) -> list[Citation]:
    """The citations for ``keys`` (a page names the rules it enforces)."""
    return [CITATIONS[key] for key in keys]
