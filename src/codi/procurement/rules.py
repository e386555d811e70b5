"""The law's numbers, in one place: methods by amount, committees, inspection, penalties.

Sources (Public Procurement and Supplies Administration Act B.E. 2560, its Ministry of Finance
regulation B.E. 2560 and the ministerial regulation on amounts B.E. 2560):

* s.55 – the methods: open invitation (e-market, e-bidding), selection, specific method.
* s.56(2)(b) with the ministerial regulation (กฎกระทรวงกำหนดวงเงินการจัดซื้อจัดจ้างพัสดุโดยวิธี
  เฉพาะเจาะจง ... พ.ศ. 2560): the specific method by amount, up to 500,000 baht a time.
* s.56(1) / s.56(2)(a, c–h): selection and the specific method for reasons other than the amount
  (no bidder, urgency, secrecy, sole maker, ...) – allowed at any amount with the reason recorded.
* the same ministerial regulation: up to 100,000 baht one person may be appointed as inspector
  instead of an inspection committee.
* regulation (ระเบียบฯ 2560) on committees: a committee is a chair and at least two members; the
  consideration (procurement) committee's members are not appointed to the inspection committee
  of the same procurement; s.13 (conflict of interest): every member declares.
* regulation on penalties: a daily penalty of 0.01–0.20 % of the price of what is late (goods).

The amounts that may change live in the ``MethodThreshold`` table (dated, with the source cited,
seeded by migration 0002 and editable by the procurement officer); this module reads that
table and keeps the rules that are not numbers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

SPECIFIC_METHOD_CAP = Decimal("500000.00")  # the seeded row; the table is what the code reads
SINGLE_INSPECTOR_CAP = Decimal("100000.00")
COMMITTEE_MIN_MEMBERS = 3
PENALTY_MIN_PERCENT = Decimal("0.010")
PENALTY_MAX_PERCENT = Decimal("0.200")
# Working days the inspection committee has after a delivery before it must record a reason.
INSPECTION_WORKING_DAYS = 3
# Split-purchase red flag: requisitions of one unit and category within this many days.
SPLIT_WINDOW_DAYS = 90

THRESHOLD_SEED = [
    # method, min (exclusive), max (inclusive), e-catalogue only, priority, source
    (
        "specific",
        "0.00",
        "500000.00",
        False,
        10,
        "พ.ร.บ.การจัดซื้อจัดจ้างฯ 2560 ม.56(2)(ข) และกฎกระทรวงกำหนดวงเงินการจัดซื้อจัดจ้างพัสดุ"
        "โดยวิธีเฉพาะเจาะจง ... พ.ศ. 2560: วงเงินครั้งหนึ่งไม่เกิน 500,000 บาท",
    ),
    (
        "e_market",
        "500000.00",
        None,
        True,
        20,
        "พ.ร.บ.ฯ 2560 ม.55(1) วิธีประกาศเชิญชวนทั่วไป และระเบียบกระทรวงการคลังฯ 2560 "
        "(ตลาดอิเล็กทรอนิกส์: พัสดุที่มีรายการในแคตตาล็อกอิเล็กทรอนิกส์) วงเงินเกิน 500,000 บาท",
    ),
    (
        "e_bidding",
        "500000.00",
        None,
        False,
        30,
        "พ.ร.บ.ฯ 2560 ม.55(1) วิธีประกาศเชิญชวนทั่วไป และระเบียบกระทรวงการคลังฯ 2560 "
        "(ประกวดราคาอิเล็กทรอนิกส์) วงเงินเกิน 500,000 บาท",
    ),
]
THRESHOLD_SEED_FROM = date(2017, 8, 23)  # the Act and its regulations came into force


def penalty(*, amount: Decimal, rate_percent: Decimal, late_days: int) -> Decimal:
    """The late-delivery penalty: ``late_days`` × ``rate_percent`` % of the late value, in satang."""
    if late_days <= 0:
        return Decimal("0.00")
    return (amount * rate_percent / 100 * late_days).quantize(Decimal("0.01"))
