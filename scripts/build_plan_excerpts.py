"""Build src/codi/knowledge/data/plan_excerpts.json from chapter 2.3 of CODI's digital plan.

Usage: python scripts/build_plan_excerpts.py ../shared/seed/000_811a1a8de22345ec.txt

Chapter 2.3 ("พระราชบัญญัติ กฎหมาย ระเบียบ ข้อบังคับที่เกี่ยวข้อง") quotes sections of CODI's Royal
Decree of 2543 and the Public Organization Act, and summarises the laws CODI works under (PDPA,
cyber security, electronic transactions, computer crime, official information, สารบรรณ,
procurement, digital government). Each law becomes one source; each numbered heading (2.3.N.M)
one citable part. The text is kept as the plan has it: these are excerpts and summaries, not the
full statutes, and the import labels them so.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "codi" / "knowledge" / "data" / "plan_excerpts.json"
LAW = re.compile(r"^2\.3\.(\d+)\s+(.+)$")
PART = re.compile(r"^(2\.3\.\d+\.\d+)\s+(.+)$")
YEAR = re.compile(r"พ\.ศ\.\s*(\d{4})")


def main(seed: Path) -> None:
    lines = seed.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("2.3 พระราชบัญญัติ") and i > 100)
    end = next(i for i, line in enumerate(lines) if line.startswith("บทที่ 3") and i > start)
    laws: list[dict] = []
    part: dict | None = None
    for raw in lines[start + 1 : end]:
        line = raw.strip()
        if match := PART.match(line):
            part = {"number": match.group(1), "chapter": match.group(2).strip(), "body": []}
            laws[-1]["sections"].append(part)
        elif match := LAW.match(line):
            title = match.group(2).strip()
            year = YEAR.search(title)
            laws.append(
                {
                    "act_id": f"plan-2.3.{match.group(1)}",
                    "title": title,
                    "year_be": int(year.group(1)) if year else None,
                    "sections": [],
                }
            )
            part = None
        elif part is not None and line:
            part["body"].append(line)
        elif laws and line and part is None and not laws[-1]["sections"] and len(line) < 30:
            laws[-1]["title"] += " " + line  # the heading wrapped ("... และที่แก้ไข" / "เพิ่มเติม")
        elif laws and line and part is None:  # text under the law's heading before its first part
            part = {"number": f"{laws[-1]['act_id'][5:]}.0", "chapter": "", "body": [line]}
            laws[-1]["sections"].append(part)
    for law in laws:
        for section in law["sections"]:
            section["body"] = "\n".join(section["body"])
        law["sections"] = [s for s in law["sections"] if s["body"].strip()]
    OUT.write_text(json.dumps(laws, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(laws)} laws, {sum(len(law['sections']) for law in laws)} parts -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
