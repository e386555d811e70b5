"""Import of members and organizations: dry run, all-or-nothing commit, re-import, bad files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from stdnum.th import pin

from codi.areas.models import Subdistrict
from codi.communities import services
from codi.communities.generator import generate_members
from codi.communities.importing import MemberImport, OrganizationImport, error_text
from codi.communities.models import (
    ImportJob,
    ImportKind,
    ImportStatus,
    LocationFlag,
    Membership,
    Organization,
    Person,
)
from codi.communities.spreadsheet import FileRefused, XlsxWriter
from codi.core.models import AuditEntry
from tests.permissions import Matrix

pytestmark = pytest.mark.django_db


def _khon_kaen_codes() -> list[str]:
    return list(Subdistrict.objects.filter(code__startswith="40").values_list("code", flat=True))


def _generated(rows: int, share: float, orgs: list[Organization] | None = None, seed: int = 7):
    return generate_members(
        rows=rows,
        bad_share=share,
        subdistricts=_khon_kaen_codes(),
        organizations=[(o.registration_no, o.subdistrict_id) for o in orgs or []],
        seed=seed,
    )


def _upload(actor, path: Path, kind: str = ImportKind.MEMBERS) -> ImportJob:
    with path.open("rb") as handle:
        return services.import_job_create(actor=actor, kind=kind, file_name=path.name, content=handle)


def _reload(job: ImportJob) -> ImportJob:
    return ImportJob.objects.get(pk=job.pk)


# --- the journey the issue asks for ------------------------------------------------------------


def test_generated_workbook_dry_run_commit_and_reimport(
    officer, khon_kaen_orgs, tmp_path, tasks_inline, media, django_capture_on_commit_callbacks
):
    # given a 2,000-row workbook with 1 % bad rows
    generated = _generated(2000, 0.01, khon_kaen_orgs)
    assert len(generated.bad_rows) == 20
    bad_file, fixed_file = tmp_path / "members.xlsx", tmp_path / "members-fixed.xlsx"
    generated.write(bad_file)
    generated.write(fixed_file, fixed=True)
    audit_before = AuditEntry.objects.count()

    # when it is uploaded, the dry run reports exactly the bad rows and writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(officer, bad_file)
    job = _reload(job)
    assert job.status == ImportStatus.INVALID
    assert (job.total_rows, job.error_rows, job.valid_rows) == (2000, 20, 1980)
    assert {e["row"] for e in job.errors} == set(generated.bad_rows)
    for error in job.errors:
        expected = generated.bad_rows[error["row"]]
        assert error["column"] == expected["column"]
        assert error["message"].startswith(expected["message"]), (error, expected)
    assert Person.objects.count() == 0 and Membership.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before + 1  # the upload itself, nothing else
    checksum = next(e for e in job.errors if generated.bad_rows[e["row"]]["defect"] == "checksum")
    assert error_text(checksum) == f"แถว {checksum['row']:,} คอลัมน์ เลขประจำตัวประชาชน: เลขตรวจสอบไม่ถูกต้อง"

    # when the fixed file is checked and committed, every row is written once
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(officer, fixed_file)
    job = _reload(job)
    assert job.status == ImportStatus.CHECKED, job.errors[:3]
    assert (job.created_count, job.updated_count, job.unchanged_count) == (2000, 0, 0)
    assert Person.objects.count() == 0  # still a dry run
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_request_commit(actor=officer, job=job)
    job = _reload(job)
    assert job.status == ImportStatus.COMMITTED, (job.message_en, job.errors[:3])
    assert Person.objects.count() == 2000
    assert Membership.objects.count() == 2000
    assert job.stored_name == ""  # the upload is deleted once imported

    # when the same file is imported again, nothing is duplicated
    with django_capture_on_commit_callbacks(execute=True):
        again = _upload(officer, fixed_file)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_request_commit(actor=officer, job=_reload(again))
    again = _reload(again)
    assert again.status == ImportStatus.COMMITTED
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2000)
    assert Person.objects.count() == 2000 and Membership.objects.count() == 2000


def test_imported_person_is_encrypted_indexed_and_masked(officer, khon_kaen_orgs, tmp_path):
    generated = _generated(5, 0, khon_kaen_orgs)
    path = tmp_path / "five.xlsx"
    generated.write(path)
    importer = MemberImport(actor=officer)
    _outcome, rows = importer.check(path, "xlsx")
    importer.write(rows, job_id=None)
    first = generated.rows[0]
    person = Person.objects.get(national_id_masked=f"{first[0][0]}-{first[0][1:5]}-xxxxx-xx-{first[0][12]}")
    assert person.national_id == first[0]
    assert person.birth_year == first[4] - 543
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT national_id, phone, address FROM communities_person WHERE id = %s", [person.pk]
        )
        stored = cursor.fetchone()
    assert first[0] not in stored[0] and stored[0].startswith("gAAAA")
    assert first[6] not in stored[1]
    assert "หมู่" not in stored[2]


def test_changed_rows_are_updated_not_duplicated(officer, khon_kaen_orgs, tmp_path):
    generated = _generated(30, 0, khon_kaen_orgs)
    path = tmp_path / "a.xlsx"
    generated.write(path)
    importer = MemberImport(actor=officer)
    importer.write(importer.check(path, "xlsx")[1], job_id=None)
    generated.fixed_rows[3][3] = "นามสกุลใหม่"
    generated.fixed_rows[4][6] = "0899999999"
    generated.write(path, fixed=True)
    importer = MemberImport(actor=officer)
    outcome, rows = importer.check(path, "xlsx")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 2, 28)
    written = importer.write(rows, job_id=None)
    assert (written.created, written.updated, written.unchanged) == (0, 2, 28)
    assert Person.objects.count() == 30
    assert Person.objects.filter(last_name_th="นามสกุลใหม่").count() == 1
    entry = AuditEntry.objects.filter(action="communities.member_import").last()
    assert sorted(map(sorted, entry.changes["persons_updated"].values())) == [["last_name_th"], ["phone"]]


def test_csv_with_bom_imports_like_xlsx(officer, khon_kaen_orgs, tmp_path):
    generated = _generated(50, 0.04, khon_kaen_orgs, seed=11)
    path = tmp_path / "members.csv"
    generated.write(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    outcome, _ = MemberImport(actor=officer).check(path, "csv")
    assert outcome.total == 50
    assert {e["row"] for e in outcome.errors} == set(generated.bad_rows)


def test_thai_windows_874_csv_is_read(officer, tmp_path):
    path = tmp_path / "tis620.csv"
    nid = "110170020345" + pin.calc_check_digit("110170020345")
    text = "เลขประจำตัวประชาชน,ชื่อ,นามสกุล,รหัสตำบล\r\n" + f"{nid},สมชาย,ใจดี,400104\r\n"
    path.write_bytes(text.encode("cp874"))
    outcome, rows = MemberImport(actor=officer).check(path, "csv")
    assert outcome.errors == [] and rows[0].first_name == "สมชาย"


def test_rows_outside_the_officers_area_are_errors(officer, tmp_path):
    bangkok = Organization.objects.create(
        name_th="กลุ่มกรุงเทพ", org_type="other", registration_no="BKK-1", subdistrict_id="100101"
    )
    generated = _generated(4, 0, [bangkok])
    path = tmp_path / "bkk.xlsx"
    generated.write(path)
    outcome, _ = MemberImport(actor=officer).check(path, "xlsx")
    assert outcome.error_rows == 4
    assert {e["message"] for e in outcome.errors} == {"ไม่มีสิทธิ์จัดการองค์กรนี้"}


def test_missing_columns_are_named_in_thai(officer, tmp_path):
    path = tmp_path / "cols.xlsx"
    writer = XlsxWriter(path, sheet_title="x")
    writer.header(["ชื่อ", "นามสกุล"])
    writer.row(["สมชาย", "ใจดี"])
    writer.close()
    with pytest.raises(FileRefused) as refused:
        MemberImport(actor=officer).check(path, "xlsx")
    assert refused.value.th.startswith("ไม่พบคอลัมน์ที่ต้องมี: เลขประจำตัวประชาชน, รหัสตำบล")


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"%PDF-1.7\n...", "members.xlsx", "ไม่ใช่ไฟล์ Excel"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "members.csv", "ไม่ใช่ไฟล์ Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "members.xlsx", "(.xls)"),
        (b"", "empty.csv", "ไม่ใช่ไฟล์ Excel"),
    ],
)
def test_wrong_file_types_are_refused_by_content(officer, media, content, name, expected):
    with pytest.raises(FileRefused) as refused:
        services.import_job_create(actor=officer, kind="members", file_name=name, content=io.BytesIO(content))
    assert expected in refused.value.th
    assert ImportJob.objects.count() == 0


def test_zip_that_is_not_a_workbook_fails_the_check(
    officer, tmp_path, media, tasks_inline, django_capture_on_commit_callbacks
):
    import zipfile

    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(officer, path)
    job = _reload(job)
    assert job.status == ImportStatus.INVALID
    assert "ไม่ใช่ไฟล์ Excel" in job.message_th
    assert Person.objects.count() == 0


def test_a_200_mb_upload_is_refused_with_a_clear_message(officer, media, settings):
    class Huge(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):  # an endless stream: never held in memory whole
            buffer[: len(buffer)] = b"a" * len(buffer)
            return len(buffer)

    with pytest.raises(FileRefused) as refused:
        services.import_job_create(
            actor=officer,
            kind="members",
            file_name="big.csv",
            content=io.BufferedReader(Huge()),
            size=200 * 1024**2,
        )
    limit_mb = settings.MAX_REQUEST_BYTES / 1024**2
    assert refused.value.th.startswith(f"ไฟล์ใหญ่เกิน {limit_mb:.1f} MB")
    with pytest.raises(FileRefused):  # size unknown up front: the stream is cut at the limit
        services.import_job_create(
            actor=officer, kind="members", file_name="big.csv", content=io.BufferedReader(Huge())
        )
    assert ImportJob.objects.count() == 0


def test_the_server_refuses_a_200_mb_request_before_reading_it(officer, settings):
    from tests.permissions import signed_in_client

    response = signed_in_client(officer).post(
        "/communities/imports/",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(200 * 1024**2),
    )
    assert response.status_code == 413
    assert response.json()["detail"] == f"ข้อมูลที่ส่งต้องไม่เกิน {settings.MAX_REQUEST_BYTES / 1024**2:.1f} MB"


def test_a_200_mb_multipart_upload_is_refused_before_it_is_parsed(officer):
    from tests.permissions import signed_in_client

    response = signed_in_client(officer).post(
        "/communities/imports/", data=b"x", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024**2),
    )  # fmt: skip
    assert response.status_code == 413


def test_only_organization_managers_may_upload(media):
    executive = Matrix().user("executive", "country")
    with pytest.raises(PermissionDenied):
        services.import_job_create(
            actor=executive, kind="members", file_name="x.csv", content=io.BytesIO(b"a,b\n")
        )


def test_commit_is_all_or_nothing_when_a_write_fails(officer, khon_kaen_orgs, tmp_path, monkeypatch):
    generated = _generated(1500, 0, khon_kaen_orgs)
    path = tmp_path / "m.xlsx"
    generated.write(path)
    importer = MemberImport(actor=officer)
    _, rows = importer.check(path, "xlsx")
    from codi.communities.importing import members as importing

    calls = {"n": 0}
    real = importing._write_memberships

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch breaks after the first was written
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_write_memberships", failing)
    with pytest.raises(RuntimeError):
        importer.write(rows, job_id=None)
    assert Person.objects.count() == 0 and Membership.objects.count() == 0
    assert not AuditEntry.objects.filter(action="communities.member_import").exists()


def test_progress_is_reported_while_checking(officer, khon_kaen_orgs, tmp_path):
    generated = _generated(2500, 0, khon_kaen_orgs)
    path = tmp_path / "m.xlsx"
    generated.write(path)
    seen = []
    MemberImport(actor=officer, progress=seen.append).check(path, "xlsx")
    assert [p.processed for p in seen] == [1000, 2000, 2500]
    assert seen[-1].total == 2500


# --- organizations ------------------------------------------------------------------------------


def _org_file(path: Path, rows: list[list[object]]) -> Path:
    writer = XlsxWriter(path, sheet_title="องค์กร")
    writer.header(["เลขทะเบียนองค์กร", "ชื่อองค์กร", "ประเภท", "รหัสตำบล", "ละติจูด", "ลองจิจูด", "โทรศัพท์",
                   "เลขทะเบียนเครือข่าย"])  # fmt: skip
    for row in rows:
        writer.row(row)
    writer.close()
    return path


def test_organization_import_creates_then_updates_by_registration_number(officer, tmp_path):
    path = _org_file(
        tmp_path / "orgs.xlsx",
        [
            ["NET-1", "เครือข่ายองค์กรชุมชนขอนแก่น", "เครือข่าย", "400101", "", "", "", ""],
            ["ORG-1", "กลุ่มออมทรัพย์บ้านเป็ด", "กลุ่มออมทรัพย์", "400104", "", "", "081 234 5678", "NET-1"],
            ["ORG-2", "วิสาหกิจชุมชนทอผ้า", "enterprise", 400105, "", "", "", ""],
        ],
    )
    importer = OrganizationImport(actor=officer)
    outcome, rows = importer.check(path, "xlsx")
    assert outcome.errors == [] and outcome.created == 3
    importer.write(rows, job_id=None)
    org = Organization.objects.get(registration_no="ORG-1")
    assert org.parent_network.registration_no == "NET-1"
    assert org.phone == "0812345678"
    assert "ออมทรัพย์" in org.name_search
    history = AuditEntry.objects.filter(object_type="communities.organization", object_id=str(org.pk))
    assert history.get().changes["phone"] == "•••"

    _org_file(path, [["ORG-1", "กลุ่มออมทรัพย์บ้านเป็ดใหม่", "กลุ่มออมทรัพย์", "400104", "", "", "0812345678", "NET-1"]])
    importer = OrganizationImport(actor=officer)
    outcome, rows = importer.check(path, "xlsx")
    assert (outcome.created, outcome.updated) == (0, 1)
    importer.write(rows, job_id=None)
    assert Organization.objects.filter(registration_no="ORG-1").count() == 1
    latest = AuditEntry.objects.filter(object_type="communities.organization", object_id=str(org.pk)).last()
    assert latest.action == "communities.organization_update"
    assert latest.changes["name_th"] == ["กลุ่มออมทรัพย์บ้านเป็ด", "กลุ่มออมทรัพย์บ้านเป็ดใหม่"]


def test_organization_import_errors(officer, tmp_path):
    path = _org_file(
        tmp_path / "orgs.xlsx",
        [
            ["A-1", "กลุ่มหนึ่ง", "กลุ่มออมทรัพย์", "999999", "", "", "", ""],
            ["A-2", "กลุ่มสอง", "ยานอวกาศ", "400104", "", "", "", ""],
            ["A-3", "กลุ่มสาม", "other", "400104", "51.5", "-0.12", "", ""],
            ["A-4", "กลุ่มสี่", "other", "100101", "", "", "", ""],
            ["A-5", "กลุ่มห้า", "other", "400104", "", "", "", "NOPE"],
            ["A-5", "กลุ่มห้าซ้ำ", "other", "400104", "", "", "", ""],
        ],
    )
    outcome, _ = OrganizationImport(actor=officer).check(path, "xlsx")
    by_row = {e["row"]: (e["column"], e["message"]) for e in outcome.errors}
    assert by_row == {
        2: ("รหัสตำบล", "ไม่พบรหัสตำบลนี้"),
        3: ("ประเภท", "ประเภทองค์กรไม่ถูกต้อง"),
        4: ("ละติจูด", "พิกัดอยู่นอกประเทศไทย"),
        5: ("รหัสตำบล", "ไม่มีสิทธิ์ในพื้นที่นี้"),
        7: ("เลขทะเบียนองค์กร", "ซ้ำกับแถว 6"),
        6: ("เลขทะเบียนเครือข่าย", "ไม่พบเครือข่ายเลขทะเบียนนี้"),
    }


def test_organization_point_is_checked_against_its_subdistrict(officer, tmp_path, monkeypatch):
    from codi.areas import selectors as area_selectors

    monkeypatch.setattr(
        area_selectors, "subdistrict_contains", lambda *, code, lon, lat, **kw: code == "400104"
    )
    monkeypatch.setattr(area_selectors, "point_in_thailand", lambda lon, lat: True)
    path = _org_file(
        tmp_path / "orgs.xlsx",
        [
            ["P-1", "กลุ่มในเขต", "other", "400104", "16.4", "102.8", "", ""],
            ["P-2", "กลุ่มนอกเขต", "other", "400105", "16.4", "102.8", "", ""],
        ],
    )
    importer = OrganizationImport(actor=officer)
    _outcome, rows = importer.check(path, "xlsx")
    importer.write(rows, job_id=None)
    flags = dict(Organization.objects.values_list("registration_no", "location_flag"))
    assert flags == {"P-1": LocationFlag.NONE, "P-2": LocationFlag.OUTSIDE_SUBDISTRICT}
    assert str(Organization.objects.get(registration_no="P-1").latitude) == "16.400000"


def test_generator_command_reports_the_bad_rows(officer, khon_kaen_orgs, tmp_path):
    import json

    from django.core.management import call_command

    out = io.StringIO()
    path, report = tmp_path / "g.xlsx", tmp_path / "bad.json"
    call_command(
        "generate_member_workbook", "--rows", "300", "--bad-share", "0.01", "--output", str(path),
        "--report", str(report), "--province", "40", stdout=out,
    )  # fmt: skip
    bad = json.loads(report.read_text(encoding="utf-8"))
    assert len(bad) == 3 and "300 rows, 3 bad (1.00%)" in out.getvalue()
    outcome, _ = MemberImport(actor=officer).check(path, "xlsx")
    assert {str(e["row"]) for e in outcome.errors} == set(bad)


def test_stale_uploads_are_purged(officer, media):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    job = services.import_job_create(
        actor=officer, kind="members", file_name="m.csv", content=io.BytesIO(b"a,b\n1,2\n")
    )
    assert default_storage.exists(job.stored_name)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.INVALID, created_at=timezone.now() - timedelta(days=8)
    )
    assert services.import_files_purge(older_than=timedelta(days=7)) == 1
    assert not default_storage.exists(job.stored_name)


def test_reimport_compares_fingerprints_and_repairs_stale_ones(officer, khon_kaen_orgs, tmp_path):
    generated = _generated(20, 0, khon_kaen_orgs)
    path = tmp_path / "m.xlsx"
    generated.write(path)
    importer = MemberImport(actor=officer)
    importer.write(importer.check(path, "xlsx")[1], job_id=None)
    assert not Person.objects.filter(record_hash="").exists()
    Person.objects.filter(pk__in=list(Person.objects.values_list("pk", flat=True)[:3])).update(
        record_hash="stale"
    )
    importer = MemberImport(actor=officer)
    outcome, rows = importer.check(path, "xlsx")
    assert (outcome.updated, outcome.unchanged) == (3, 17)  # a stale fingerprint looks like a change…
    written = importer.write(rows, job_id=None)
    assert (written.updated, written.unchanged) == (0, 20)  # …until the values are compared
    assert not Person.objects.filter(record_hash="stale").exists()


def test_one_person_in_several_organizations_is_one_person(officer, khon_kaen_orgs, tmp_path):
    generated = _generated(3, 0, khon_kaen_orgs)
    rows = [list(r) for r in generated.rows]
    second_org = next(o.registration_no for o in khon_kaen_orgs if o.registration_no != rows[0][9])
    rows.append([*rows[0][:9], second_org, "กรรมการ", ""])  # same person, another organization
    rows.append(list(rows[0]))  # same person, same organization: a duplicate
    changed = [*rows[0][:3], "นามสกุลอื่น", *rows[0][4:9], khon_kaen_orgs[-1].registration_no, "สมาชิก", ""]
    rows.append(changed)  # same ID, different name
    generated.rows = rows
    path = tmp_path / "multi.xlsx"
    generated.write(path)
    importer = MemberImport(actor=officer)
    outcome, prepared = importer.check(path, "xlsx")
    assert [(e["row"], e["message"]) for e in outcome.errors] == [
        (6, "ซ้ำกับแถว 2"),
        (7, "ข้อมูลบุคคลไม่ตรงกับแถว 2 ที่มีเลขประจำตัวเดียวกัน"),
    ]
    assert outcome.created == 3
    written = importer.write(prepared, job_id=None)
    assert (written.created, Person.objects.count(), Membership.objects.count()) == (3, 3, 4)
