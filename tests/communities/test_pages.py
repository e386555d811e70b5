"""Registry pages: permission matrix per page, masking and its audit, exports, the import screens."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from stdnum.th import pin

from codi.communities import services
from codi.communities.crypto import blind_index
from codi.communities.models import ImportJob, ImportStatus, Membership, Organization, Person
from codi.core.models import AuditEntry
from tests.factories import OrganizationFactory
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db
BASE = "/communities"


def _nid(n: int) -> str:
    body = f"11017002{n:04d}"
    return body + pin.calc_check_digit(body)


@pytest.fixture
def member(officer):
    person = services.person_create(
        actor=officer,
        national_id=_nid(1),
        first_name_th="บุญเรือน",
        last_name_th="ศรีสุข",
        subdistrict_code="400104",
        phone="0899999999",
        address="9 หมู่ 9",
    )
    org = services.organization_create(
        actor=officer,
        name_th="กลุ่มทอผ้าบ้านเป็ด",
        org_type="enterprise",
        subdistrict_code="400104",
        phone="0811112222",
    )
    services.membership_add(actor=officer, person=person, organization=org, role="leader")
    return person


def _html(response) -> str:
    return response.content.decode()


# --- organizations ------------------------------------------------------------------------------------


def test_organization_list_matrix(matrix: Matrix):
    org = OrganizationFactory(subdistrict_id="400104", name_th="กลุ่มทอผ้าบ้านเป็ด")
    matrix.check(
        lambda c: c.get(f"{BASE}/organizations/"),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 200 and org.name_th in _html(r),
        refused=lambda r: r.status_code == 403 or org.name_th not in _html(r),
    )


def test_organization_detail_matrix(matrix: Matrix, member):
    org = Organization.objects.get(name_th="กลุ่มทอผ้าบ้านเป็ด")
    matrix.check(
        lambda c: c.get(f"{BASE}/organizations/{org.pk}/"),
        allowed=matrix.user("community_leader", "subdistrict", "400104"),
        wrong_role=matrix.user("knowledge_officer", "country"),
        out_of_scope=matrix.user("community_leader", "subdistrict", "400101"),
        allowed_ok=lambda r: r.status_code == 200 and "xxxxxx2222" in _html(r) and "บุญเรือน" not in _html(r),
    )


def test_organization_page_shows_members_and_history_to_staff(officer, member):
    org = Organization.objects.get(name_th="กลุ่มทอผ้าบ้านเป็ด")
    services.organization_update(actor=officer, organization=org, changes={"status": "inactive"})
    html = _html(signed_in_client(officer).get(f"{BASE}/organizations/{org.pk}/"))
    assert "บุญเรือน" in html and member.national_id_masked in html and _nid(1) not in html
    assert "active → inactive" in html
    assert "0811112222" not in html


def test_revealing_the_phone_is_audited(officer, member):
    org = Organization.objects.get(name_th="กลุ่มทอผ้าบ้านเป็ด")
    client = signed_in_client(officer)
    response = client.post(f"{BASE}/organizations/{org.pk}/", {"reveal": "phone"})
    assert "0811112222" in _html(response)
    assert AuditEntry.objects.filter(action="personal_data.view", object_id=str(org.pk)).count() == 1
    director = signed_in_client(Matrix().user("regional_director", "region", "northeast"))
    assert director.post(f"{BASE}/organizations/{org.pk}/", {"reveal": "phone"}).status_code == 403


def test_organization_create_matrix(matrix: Matrix):
    def call(client):
        return client.post(
            f"{BASE}/organizations/new/",
            {
                "name_th": "กลุ่มเลี้ยงปลา",
                "org_type": "enterprise",
                "status": "active",
                "subdistrict_code": "400104",
            },
        )

    matrix.check(
        call,
        allowed=matrix.user("project_officer", "district", "4001"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("project_officer", "province", "50"),
        allowed_ok=lambda r: r.status_code == 302,
        refused=lambda r: r.status_code == 403 or "ไม่มีสิทธิ์" in _html(r) or "may not" in _html(r),
        anonymous_refused=lambda r: r.status_code == 302 and "/login" in r["Location"],
    )
    assert Organization.objects.filter(name_th="กลุ่มเลี้ยงปลา").count() == 1


def test_organization_form_shows_errors_in_the_field(officer):
    response = signed_in_client(officer).post(
        f"{BASE}/organizations/new/",
        {"name_th": "กลุ่ม", "org_type": "other", "status": "active", "subdistrict_code": "400104",
         "latitude": "48.85", "longitude": "2.29", "phone": "123"},
    )  # fmt: skip
    html = _html(response)
    assert response.status_code == 200
    assert "พิกัดอยู่นอกประเทศไทย" in html and "หมายเลขโทรศัพท์ต้องมี" in html
    assert not Organization.objects.filter(name_th="กลุ่ม").exists()


def test_organization_edit_matrix_records_history(matrix: Matrix):
    org = OrganizationFactory(subdistrict_id="400104", name_th="ชื่อเดิม")

    def call(client):
        return client.post(
            f"{BASE}/organizations/{org.pk}/edit/",
            {"name_th": "ชื่อใหม่", "org_type": org.org_type, "status": "active", "subdistrict_code": "400104"},
        )

    matrix.check(
        call,
        allowed=matrix.user("regional_director", "region", "northeast"),
        wrong_role=matrix.user("community_leader", "subdistrict", "400104"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 302,
        anonymous_refused=lambda r: r.status_code == 302,
    )
    entry = AuditEntry.objects.get(action="communities.organization_update", object_id=str(org.pk))
    assert entry.changes == {"name_th": ["ชื่อเดิม", "ชื่อใหม่"]}


def test_organization_export_honours_scope_and_masking(officer, member):
    OrganizationFactory(subdistrict_id="100101", name_th="กลุ่มกรุงเทพ")
    client = signed_in_client(officer)
    response = client.get(f"{BASE}/organizations/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("เลขทะเบียนองค์กร", "ชื่อองค์กร", "ชื่อภาษาอังกฤษ", "ประเภท")
    assert [r[1] for r in rows[1:]] == ["กลุ่มทอผ้าบ้านเป็ด"]
    assert rows[1][8] == "xxxxxx2222"
    text = b"".join(client.get(f"{BASE}/organizations/export.csv").streaming_content).decode("utf-8")
    assert text.startswith("\ufeff") and "กลุ่มกรุงเทพ" not in text and "0811112222" not in text
    unmasked = b"".join(client.get(f"{BASE}/organizations/export.csv?unmasked=1").streaming_content).decode()
    assert "0811112222" in unmasked
    assert (
        AuditEntry.objects.filter(
            action="personal_data.export", object_type="communities.organization"
        ).count()
        == 1
    )
    assert client.get(f"{BASE}/organizations/export.pdf").status_code == 404


# --- members --------------------------------------------------------------------------------------------


def test_member_list_matrix(matrix: Matrix, member):
    matrix.check(
        lambda c: c.get(f"{BASE}/members/"),
        allowed=matrix.user("data_protection_officer", "country"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("project_officer", "region", "south"),
        allowed_ok=lambda r: r.status_code == 200 and "บุญเรือน" in _html(r) and _nid(1) not in _html(r),
        refused=lambda r: r.status_code == 403 or "บุญเรือน" not in _html(r),
    )


def test_member_detail_matrix(matrix: Matrix, member):
    matrix.check(
        lambda c: c.get(f"{BASE}/members/{member.pk}/"),
        allowed=matrix.user("regional_director", "region", "northeast"),
        wrong_role=matrix.user("community_leader", "subdistrict", "400104"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: (
            r.status_code == 200 and member.national_id_masked in _html(r) and _nid(1) not in _html(r)
        ),
    )


def test_showing_the_full_national_id_is_audited(matrix: Matrix, member):
    matrix.check(
        lambda c: c.post(f"{BASE}/members/{member.pk}/", {"reveal": "1"}),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("regional_director", "region", "northeast"),
        out_of_scope=matrix.user("data_protection_officer", "province", "10"),
        allowed_ok=lambda r: (
            r.status_code == 200 and pin.format(_nid(1)) in _html(r) and "9 หมู่ 9" in _html(r)
        ),
        anonymous_refused=lambda r: r.status_code == 302,
    )
    views = AuditEntry.objects.filter(action="personal_data.view", object_type="communities.person")
    assert views.count() == 1 and views.get().object_id == str(member.pk)


def test_member_create_and_edit(officer):
    client = signed_in_client(officer)
    response = client.post(
        f"{BASE}/members/new/",
        {"national_id": _nid(2)[:12] + str((int(_nid(2)[12]) + 1) % 10), "first_name_th": "ก", "last_name_th": "ข",
         "subdistrict_code": "400104"},
    )  # fmt: skip
    assert "เลขตรวจสอบไม่ถูกต้อง" in _html(response)
    response = client.post(
        f"{BASE}/members/new/",
        {
            "national_id": _nid(2),
            "first_name_th": "ก",
            "last_name_th": "ข",
            "subdistrict_code": "400104",
            "birth_year": "2520",
        },
    )
    person = Person.objects.get(national_id_index=blind_index(_nid(2)))
    assert response.status_code == 302 and person.birth_year == 1977
    response = client.post(
        f"{BASE}/members/{person.pk}/edit/",
        {"first_name_th": "กข", "last_name_th": "ข", "subdistrict_code": "400104", "birth_year": "2520"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="communities.person_update")
    assert entry.changes == {"first_name_th": "•••"}


def test_membership_add_and_end(officer, member):
    org = OrganizationFactory(subdistrict_id="400105")
    client = signed_in_client(officer)
    response = client.post(
        f"{BASE}/members/{member.pk}/memberships/", {"organization": org.pk, "role": "committee"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=member, organization=org)
    client.post(f"{BASE}/memberships/{membership.pk}/end/")
    assert Membership.objects.get(pk=membership.pk).ended_on is not None
    outsider = signed_in_client(Matrix().user("project_officer", "province", "10"))
    assert outsider.post(f"{BASE}/memberships/{membership.pk}/end/").status_code == 404


def test_member_export_masked_by_default_full_only_with_permission(officer, member):
    client = signed_in_client(officer)
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(f"{BASE}/members/export.csv").streaming_content).decode("utf-8-sig")
            )
        )
    )
    assert rows[0][0] == "เลขประจำตัวประชาชน"
    assert rows[1][:4] == [member.national_id_masked, "", "บุญเรือน", "ศรีสุข"]
    assert rows[1][6] == "" and rows[1][10] == "ผู้นำ"
    assert not AuditEntry.objects.filter(action="personal_data.export").exists()
    full = b"".join(client.get(f"{BASE}/members/export.xlsx?unmasked=1").streaming_content)
    sheet = load_workbook(io.BytesIO(full), read_only=True).active
    assert list(sheet.iter_rows(values_only=True))[1][0] == pin.format(_nid(1))
    assert AuditEntry.objects.get(action="personal_data.export").changes["rows"] == 1
    director = signed_in_client(Matrix().user("regional_director", "region", "northeast"))
    assert director.get(f"{BASE}/members/export.xlsx?unmasked=1").status_code == 403
    assert director.get(f"{BASE}/members/export.csv").status_code == 200


@pytest.mark.parametrize(
    ("path", "role"), [("/organizations/", "executive"), ("/members/", "project_officer")]
)
def test_list_pages_query_count_does_not_grow(officer, django_assert_max_num_queries, path, role):
    client = signed_in_client(Matrix().user(role, "country"))
    for n in range(30):
        org = OrganizationFactory(subdistrict_id="400104")
        person = services.person_create(
            actor=officer,
            national_id=_nid(100 + n),
            first_name_th="ก",
            last_name_th="ข",
            subdistrict_code="400104",
        )
        services.membership_add(actor=officer, person=person, organization=org)
    client.get(f"{BASE}{path}")
    with django_assert_max_num_queries(12):
        assert client.get(f"{BASE}{path}").status_code == 200


# --- imports ----------------------------------------------------------------------------------------------


def test_import_page_matrix(matrix: Matrix):
    matrix.check(
        lambda c: c.get(f"{BASE}/imports/"),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=None,  # the page is an upload form; rows outside the area are refused row by row
    )


def test_import_upload_progress_and_commit_through_the_pages(
    officer, tmp_path, media, tasks_inline, django_capture_on_commit_callbacks
):
    OrganizationFactory(subdistrict_id="400104", registration_no="KK-1")
    lines = ["เลขประจำตัวประชาชน,ชื่อ,นามสกุล,รหัสตำบล,เลขทะเบียนองค์กร,บทบาท"]
    lines += [f"{_nid(n)},สมชาย,ใจดี{n},400104,KK-1,สมาชิก" for n in range(10, 15)]
    lines.append("1234567890123,สมหญิง,ใจงาม,400104,KK-1,สมาชิก")
    client = signed_in_client(officer)
    upload = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8-sig"))
    upload.name = "สมาชิก.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/imports/", {"kind": "members", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}/imports/{job.pk}/"
    html = _html(client.get(f"{BASE}/imports/{job.pk}/"))
    assert "แถว 7 คอลัมน์ เลขประจำตัวประชาชน: เลขตรวจสอบไม่ถูกต้อง" in html
    assert client.get(f"{BASE}/imports/{job.pk}/progress").json()["status"] == ImportStatus.INVALID
    errors = b"".join(client.get(f"{BASE}/imports/{job.pk}/errors.csv").streaming_content).decode("utf-8-sig")
    assert "7,เลขประจำตัวประชาชน,เลขตรวจสอบไม่ถูกต้อง" in errors
    other = signed_in_client(Matrix().user("project_officer", "province", "40"))
    assert other.get(f"{BASE}/imports/{job.pk}/").status_code == 404  # only the uploader sees the report

    upload = io.BytesIO(("\n".join(lines[:-1]) + "\n").encode("utf-8-sig"))
    upload.name = "สมาชิก.csv"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}/imports/", {"kind": "members", "file": upload})
    fixed = ImportJob.objects.latest("id")
    assert fixed.status == ImportStatus.CHECKED
    assert other.post(f"{BASE}/imports/{fixed.pk}/commit/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{BASE}/imports/{fixed.pk}/commit/").status_code == 302
    assert ImportJob.objects.get(pk=fixed.pk).status == ImportStatus.COMMITTED
    assert Person.objects.count() == 5


def test_upload_of_a_wrong_file_shows_a_clear_message(officer, media):
    upload = io.BytesIO(b"%PDF-1.4 binary")
    upload.name = "members.xlsx"
    response = signed_in_client(officer).post(f"{BASE}/imports/", {"kind": "members", "file": upload})
    assert response.status_code == 200
    assert "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) หรือ CSV" in _html(response)
    assert ImportJob.objects.count() == 0


def test_running_job_page_polls_for_progress(officer, media):
    job = services.import_job_create(
        actor=officer, kind="members", file_name="m.csv", content=io.BytesIO(b"a,b\n1,2\n")
    )  # the task is queued, no worker runs it here
    html = _html(signed_in_client(officer).get(f"{BASE}/imports/{job.pk}/"))
    assert "<progress" in html and f"/communities/imports/{job.pk}/progress" in html
    assert 'http-equiv="refresh"' in html  # without JavaScript the page refreshes itself


def test_import_templates_have_the_columns(officer):
    response = signed_in_client(officer).get(f"{BASE}/imports/template/members.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert next(sheet.iter_rows(values_only=True))[:4] == ("เลขประจำตัวประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล")
    assert signed_in_client(officer).get(f"{BASE}/imports/template/other.xlsx").status_code == 404


def test_area_page_shows_the_scoped_panel(matrix: Matrix, member):
    OrganizationFactory(subdistrict_id="100101")
    matrix.check(
        lambda c: c.get("/areas/4001/"),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: (
            r.status_code == 200 and "กลุ่มทอผ้า" not in _html(r) and "area=4001&amp;type=enterprise" in _html(r)
        ),
        refused=lambda r: r.status_code == 200 and "area=4001&amp;type=enterprise" not in _html(r),
    )
