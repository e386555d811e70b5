"""import_statutes: sections stored, lexical index built, idempotent, progress shown."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from codi.core.models import AuditEntry
from codi.knowledge.models import SECTION_SOURCE, Act, Section
from codi.knowledge.services import statutes_import
from codi.search.models import Chunk

pytestmark = pytest.mark.django_db


def test_import_stores_acts_sections_and_the_lexical_index(statutes):
    assert (statutes.acts_created, statutes.sections) == (3, 30 + 43 + 59)
    act = Act.objects.get(act_id="570721")
    assert act.title == "พระราชบัญญัติ ว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์ พ.ศ. 2544"  # from index.csv
    assert act.year_be == 2544
    assert Section.objects.filter(act=act, number="12/1").exists()
    chunk = Chunk.objects.get(source=SECTION_SOURCE, object_id="556460:5")
    assert chunk.title == "พระราชบัญญัติ ว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ พ.ศ. 2550, มาตรา 5"
    assert "คอมพิวเตอร์" in chunk.tokens.split()
    assert chunk.embedding is None  # dense vectors come from the background pass


def test_import_again_changes_nothing(statutes, acts_dir):
    audits = AuditEntry.objects.count()
    again = statutes_import(directory=acts_dir)
    assert (again.acts_created, again.acts_updated, again.acts_unchanged, again.chunks_indexed) == (
        0,
        0,
        3,
        0,
    )
    assert AuditEntry.objects.count() == audits
    assert Section.objects.count() == 132


def test_a_changed_file_is_reimported_and_removed_sections_leave_the_index(statutes, acts_dir):
    path = acts_dir / "556460.txt"
    text = path.read_text(encoding="utf-8")
    cut = text.index("มาตรา ๓๐")
    path.write_text(text[:cut] + text[text.index("ผู้รับสนองพระบรมราชโองการ") :], encoding="utf-8")

    report = statutes_import(directory=acts_dir)

    assert (report.acts_updated, report.acts_unchanged) == (1, 2)
    assert not Section.objects.filter(act__act_id="556460", number="30").exists()
    assert not Chunk.objects.filter(source=SECTION_SOURCE, object_id="556460:30").exists()


def test_command_shows_progress_and_a_summary(acts_dir):
    out = StringIO()
    call_command("import_statutes", "--dir", str(acts_dir), "--embed", "none", stdout=out)
    text = out.getvalue()
    assert "3/3 Acts" in text
    assert "Acts: 3 new, 0 updated, 0 unchanged; 132 sections" in text


def test_an_announcement_without_sections_is_kept_whole_and_reported(db, tmp_path):
    folder = tmp_path / "acts"
    folder.mkdir()
    (folder / "900001.txt").write_text(
        "ประกาศของคณะปฏิวัติ\nฉบับที่ ๑\nโดยที่คณะปฏิวัติพิจารณาเห็นว่าสมควรมีเหรียญที่ระลึก\n", encoding="utf-8"
    )

    report = statutes_import(directory=folder)

    assert report.without_sections == ["900001"]
    section = Section.objects.get(act__act_id="900001")
    assert section.number == ""
    assert "เหรียญที่ระลึก" in section.body
    assert Chunk.objects.filter(source=SECTION_SOURCE, object_id="900001:").exists()
