"""Pages: permission matrix for each, the admin and auditor screens, Thai-first rendering."""

from __future__ import annotations

import pytest

from codi.core.audit import audit_record
from codi.core.models import AuditEntry
from codi.identity.models import RoleAssignment
from tests.factories import OrganizationFactory, UserFactory
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


def test_home_matrix(matrix: Matrix):
    matrix.check(
        lambda c: c.get("/"),
        allowed=matrix.user("community_leader", "subdistrict", "400104"),
        wrong_role=None,
        out_of_scope=None,
    )


def test_home_counts_only_what_the_user_may_see():
    OrganizationFactory.create_batch(3, subdistrict_id="400104")
    OrganizationFactory.create_batch(5, subdistrict_id="100101")
    leader = Matrix().user("community_leader", "subdistrict", "400104")
    html = signed_in_client(leader).get("/").content.decode()
    assert '<div class="n">3</div>องค์กรชุมชน' in html
    assert '<div class="n">7,436</div>ตำบล' in html
    assert "community_leader" not in html and "400104" not in html  # role and scope in words
    assert "ผู้นำชุมชน · ตำบล" in html


def test_organization_page_matrix(matrix: Matrix):
    org = OrganizationFactory(subdistrict_id="400104", name_th="กลุ่มทอผ้าบ้านเป็ด")
    matrix.check(
        lambda c: c.get("/communities/organizations/"),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 200 and org.name_th in r.content.decode(),
        refused=lambda r: r.status_code == 403 or org.name_th not in r.content.decode(),
    )


def test_audit_log_matrix(matrix: Matrix):
    matrix.check(
        lambda c: c.get("/audit/"),
        allowed=matrix.user("internal_auditor", "country"),
        wrong_role=matrix.user("project_officer", "country"),
        out_of_scope=None,  # the audit log is organisation-wide, not area-scoped
    )


def test_audit_log_filters_and_exports_csv():
    audit_record(actor=None, action="test.alpha", object_type="test.thing", object_id=1)
    audit_record(actor=None, action="test.beta", object_type="test.thing", object_id=2)
    client = signed_in_client(Matrix().user("internal_auditor", "country"))
    page = client.get("/audit/?action=alpha").content.decode()
    assert "test.alpha" in page and "test.beta" not in page
    export = client.get("/audit/?action=test.&format=csv")
    body = b"".join(export.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffid,time,actor,action")
    assert "test.alpha" in body and "test.beta" in body
    assert client.get("/audit/?since=not-a-date").status_code == 200


@pytest.mark.parametrize("path", ["/manage/users/", "/manage/users/{id}/"])
def test_user_admin_pages_matrix(matrix: Matrix, path):
    target = UserFactory()
    matrix.check(
        lambda c: c.get(path.format(id=target.pk)),
        allowed=matrix.user("system_admin", "country"),
        wrong_role=matrix.user("regional_director", "region", "northeast"),
        out_of_scope=None,  # user administration is organisation-wide
    )


def test_admin_creates_a_user_and_assigns_a_scoped_role():
    admin = signed_in_client(Matrix().user("system_admin", "country"))
    response = admin.post(
        "/manage/users/new/",
        {"username": "somsri", "name_th": "สมศรี ใจดี", "password": "long-enough-secret-42"},
    )
    assert response.status_code == 302
    from codi.identity.models import User

    somsri = User.objects.get(username="somsri")
    response = admin.post(
        f"/manage/users/{somsri.pk}/",
        {"role": "project_officer", "scope_level": "province", "scope_code": "40"},
    )
    assert response.status_code == 302
    assert list(RoleAssignment.objects.filter(user=somsri).values_list("role", "scope_code")) == [
        ("project_officer", "40")
    ]
    assert AuditEntry.objects.filter(action="identity.role_assign", object_id=str(somsri.pk)).exists()


def test_admin_form_errors_are_shown_in_the_field():
    admin = signed_in_client(Matrix().user("system_admin", "country"))
    target = UserFactory()
    response = admin.post(
        f"/manage/users/{target.pk}/",
        {"role": "project_officer", "scope_level": "province", "scope_code": "99"},
    )
    assert response.status_code == 422
    assert "ไม่พบรหัสพื้นที่" in response.content.decode()
    weak = admin.post(
        "/manage/users/new/", {"username": "weak", "name_th": "อ่อน", "password": "123456789012"}
    )
    assert weak.status_code == 422


def test_admin_revokes_a_role_and_deactivates_a_user():
    admin = signed_in_client(Matrix().user("system_admin", "country"))
    target = Matrix().user("executive", "country")
    assignment = RoleAssignment.objects.get(user=target)
    assert admin.post(f"/manage/users/{target.pk}/roles/{assignment.pk}/revoke/").status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert admin.post(f"/manage/users/{target.pk}/active/", {"is_active": "0"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active


def test_non_admin_cannot_post_admin_actions():
    director = signed_in_client(Matrix().user("regional_director", "country"))
    target = Matrix().user("executive", "country")
    assignment = RoleAssignment.objects.get(user=target)
    assert director.post(f"/manage/users/{target.pk}/roles/{assignment.pk}/revoke/").status_code == 403
    assert director.post(f"/manage/users/{target.pk}/active/", {"is_active": "0"}).status_code == 403
    assert director.post("/manage/users/new/", {"username": "x"}).status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_profile_shows_roles_and_changes_password():
    user = Matrix().user("project_officer", "province", "40")
    client = signed_in_client(user)
    assert "เจ้าหน้าที่โครงการ" in client.get("/accounts/profile/").content.decode()
    assert client.post("/accounts/profile/", {"new_password": "short"}).status_code == 200
    response = client.post("/accounts/profile/", {"new_password": "a-much-longer-password-7"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-longer-password-7")
    assert client.get("/").status_code == 200  # still signed in on this device


def test_navigation_follows_the_role():
    auditor = signed_in_client(Matrix().user("internal_auditor", "country")).get("/").content.decode()
    leader = (
        signed_in_client(Matrix().user("community_leader", "subdistrict", "400104")).get("/").content.decode()
    )
    assert 'href="/audit/"' in auditor and 'href="/manage/users/"' not in auditor
    assert 'href="/audit/"' not in leader


def test_unknown_page_is_a_thai_404():
    client = signed_in_client(UserFactory())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in response.content.decode()


def test_static_font_is_shipped():
    from django.contrib.staticfiles import finders

    assert finders.find("codi/fonts/Sarabun-Regular.ttf")


def test_admin_creates_an_api_key_shown_once_and_revokes_it():
    from codi.identity.models import ApiKey

    admin = signed_in_client(Matrix().user("system_admin", "country"))
    partner = Matrix().user("partner_agency", "province", "40")
    admin.post(f"/manage/users/{partner.pk}/api-keys/new/", {"name": "ระบบ อบจ."})
    page = admin.get(f"/manage/users/{partner.pk}/").content.decode()
    key = ApiKey.objects.get(user=partner)
    assert f"codi_{key.prefix}_" in page and 'data-testid="new-api-key"' in page
    assert 'data-testid="new-api-key"' not in admin.get(f"/manage/users/{partner.pk}/").content.decode()
    admin.post(f"/manage/users/{partner.pk}/api-keys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_non_admin_cannot_create_api_keys():
    from codi.identity.models import ApiKey

    partner = Matrix().user("partner_agency", "province", "40")
    client = signed_in_client(partner)
    assert client.post(f"/manage/users/{partner.pk}/api-keys/new/", {"name": "mine"}).status_code == 403
    assert not ApiKey.objects.filter(user=partner).exists()


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/communities/organizations/", "executive"),
        ("/audit/", "internal_auditor"),
        ("/manage/users/", "system_admin"),
    ],
)
def test_list_pages_query_count_does_not_grow_with_rows(django_assert_max_num_queries, path, role):
    client = signed_in_client(Matrix().user(role, "country"))
    for _ in range(30):
        OrganizationFactory(subdistrict_id="400104")
        Matrix().user("executive", "country")
    client.get(path)  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get(path).status_code == 200


def test_old_organizations_link_redirects_to_the_registry():
    client = signed_in_client(Matrix().user("executive", "country"))
    response = client.get("/organizations/?province=40")
    assert response.status_code == 302
    assert response["Location"] == "/communities/organizations/?province=40"
