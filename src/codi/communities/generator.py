"""Realistic member workbooks for tests and benchmarks, with a known set of bad rows.

Every good row passes the import's checks: a national ID with a correct check
digit (unique in the file), Thai names, a real subdistrict code, a Thai phone
number. A chosen share of rows is spoiled, each with exactly one defect, and
the generator reports which rows (spreadsheet row numbers, header = row 1) and
what the import should say about them. The "fixed" rows are the same file
with every defect undone.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from stdnum.th import pin

from codi.communities.importing import MEMBER_COLUMNS
from codi.communities.spreadsheet import XlsxWriter, csv_cell

FIRST_MALE = ["สมชาย", "สมศักดิ์", "ประเสริฐ", "วิชัย", "สุรชัย", "บุญมี", "ทองดี", "อนันต์", "ชัยวัฒน์", "ณรงค์",
              "สมบัติ", "ประยุทธ", "เกรียงไกร", "ธนากร", "พงศกร", "ศักดิ์ชัย", "วีระ", "มานพ", "สุทธิพงษ์", "อำนาจ"]  # fmt: skip
FIRST_FEMALE = ["สมศรี", "มาลี", "สุภาพร", "วันเพ็ญ", "ประไพ", "นงลักษณ์", "บุญเรือน", "จันทร์เพ็ญ", "สุดารัตน์", "อรุณี",
                "กาญจนา", "รัชนี", "ศิริพร", "ทองใบ", "พิมพ์ใจ", "ลำดวน", "อุไรวรรณ", "เพ็ญศรี", "สายสุนีย์", "บัวผัน"]  # fmt: skip
LAST_NAMES = ["ใจดี", "ศรีสุข", "บุญมา", "แก้วมณี", "ทองคำ", "สุขสวัสดิ์", "พรหมมา", "ศรีวงศ์", "จันทร์แก้ว", "สายทอง",
              "มีสุข", "คำแสน", "ภูมิใจ", "วงศ์ใหญ่", "แสงทอง", "พิมพ์ดี", "อินทร์แก้ว", "บุญเรือง", "ชัยมงคล", "ทองสุข",
              "ประเสริฐสุข", "นาคสวัสดิ์", "เพชรรัตน์", "สีดา", "พันธ์ุดี"]  # fmt: skip
VILLAGES = ["โนนสะอาด", "หนองบัว", "ดอนแดง", "โคกสูง", "นาคำ", "หนองแวง", "บ้านเป็ด", "ท่าพระ", "โนนทัน", "ศรีฐาน"]
ROLES_TH = ["สมาชิก"] * 8 + ["กรรมการ"] + ["ผู้นำ"]
DEFECTS = ("checksum", "subdistrict", "first_name", "birth_year", "phone", "duplicate", "role", "started_on")
ORG_DEFECT = "organization"


@dataclass
class GeneratedMembers:
    header: list[str]
    rows: list[list[Any]]  # as written, bad rows included
    fixed_rows: list[list[Any]]  # the same rows with every defect undone
    bad_rows: dict[int, dict[str, str]] = field(
        default_factory=dict
    )  # row number → column, defect, expected message

    def write(self, path: Path, *, fixed: bool = False) -> None:
        rows = self.fixed_rows if fixed else self.rows
        if path.suffix.lower() == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(self.header)
                writer.writerows([csv_cell(v) for v in row] for row in rows)
            return
        writer_ = XlsxWriter(path, sheet_title="สมาชิก")
        writer_.header(self.header)
        for row in rows:
            writer_.row(row)
        writer_.close()


def _national_id(rng: random.Random, used: set[str]) -> str:
    while True:
        body = str(rng.randint(1, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(11))
        number = body + pin.calc_check_digit(body)
        if number not in used:
            used.add(number)
            return number


def generate_members(
    *,
    rows: int,
    bad_share: float,
    subdistricts: list[str],
    organizations: list[tuple[str, str]] | None = None,
    seed: int = 2569,
) -> GeneratedMembers:
    """``rows`` member rows; ``round(rows * bad_share)`` of them carry one defect each.

    ``organizations`` are ``(registration number, subdistrict code)`` pairs that
    exist in the target database; members are spread over them (and live in
    their organization's subdistrict). Without them the organization column is empty.
    """
    if not subdistricts:
        raise ValueError("no subdistrict codes: load the areas first")
    if not 0 <= bad_share <= 1:
        raise ValueError("bad_share is a fraction between 0 and 1")
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not security
    used: set[str] = set()
    header = [c.th for c in MEMBER_COLUMNS]
    good: list[list[Any]] = []
    for _ in range(rows):
        is_male = rng.random() < 0.45
        org_reg, code = ("", rng.choice(subdistricts))
        if organizations:
            org_reg, code = rng.choice(organizations)
        started: Any = date(rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28))
        if rng.random() < 0.5:  # half typed as Thai text in the Buddhist Era, half as Excel dates
            started = f"{started.day}/{started.month}/{started.year + 543}"
        good.append(
            [
                _national_id(rng, used),
                "นาย" if is_male else rng.choice(["นาง", "นางสาว"]),
                rng.choice(FIRST_MALE if is_male else FIRST_FEMALE),
                rng.choice(LAST_NAMES),
                rng.randint(2480, 2548),  # birth year, Buddhist Era
                "ชาย" if is_male else "หญิง",
                rng.choice(["08", "09", "06"]) + "".join(str(rng.randint(0, 9)) for _ in range(8)),
                f"{rng.randint(1, 250)} หมู่ {rng.randint(1, 15)} บ้าน{rng.choice(VILLAGES)}",
                code,
                org_reg,
                rng.choice(ROLES_TH) if org_reg else "",
                started if org_reg else "",
            ]
        )
    spoiled = [list(r) for r in good]
    bad_count = round(rows * bad_share)
    positions = sorted(rng.sample(range(1, rows), bad_count)) if bad_count else []
    bad_set = set(positions)
    defects = DEFECTS + ((ORG_DEFECT,) if organizations else ())
    bad: dict[int, dict[str, str]] = {}
    for n, position in enumerate(positions):
        defect = defects[n % len(defects)]
        row = spoiled[position]
        row_number = position + 2
        if defect == "checksum":
            nid = row[0]
            row[0] = nid[:12] + str((int(nid[12]) + 1) % 10)
            entry = ("national_id", "เลขตรวจสอบไม่ถูกต้อง")
        elif defect == "subdistrict":
            row[8] = "999999"
            entry = ("subdistrict_code", "ไม่พบรหัสตำบลนี้")
        elif defect == "first_name":
            row[2] = ""
            entry = ("first_name", "กรุณาระบุชื่อ")
        elif defect == "birth_year":
            row[4] = 2700
            entry = ("birth_year", "ปีเกิดต้องอยู่ระหว่าง")
        elif defect == "phone":
            row[6] = "12345"
            entry = ("phone", "หมายเลขโทรศัพท์ต้องมี 9–10 หลัก")
        elif defect == "duplicate":
            original = next(p for p in range(position - 1, -1, -1) if p not in bad_set)
            spoiled[position] = row = list(good[original])
            entry = ("national_id", f"ซ้ำกับแถว {original + 2:,}")
        elif defect == "role":
            row[10] = "หัวหน้าใหญ่" if organizations else "ผู้จัดการ"
            entry = ("role", "ใช้ ผู้นำ กรรมการ หรือ สมาชิก")
        elif defect == "started_on":
            row[11] = "31/2/2567"
            entry = ("started_on", "วันที่ไม่ถูกต้อง")
        else:
            row[9] = "ไม่มีองค์กรนี้-0000"
            entry = ("organization", "ไม่พบองค์กรเลขทะเบียนนี้")
        column = next(c.th for c in MEMBER_COLUMNS if c.key == entry[0])
        bad[row_number] = {"column": column, "defect": defect, "message": entry[1]}
    return GeneratedMembers(header=header, rows=spoiled, fixed_rows=good, bad_rows=bad)
