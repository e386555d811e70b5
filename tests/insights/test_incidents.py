"""Incidents through their stages, the PDPA link, and every page refusing the wrong people."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from codi.core.models import AuditEntry
from codi.insights import services
from codi.insights.models import Alert, Incident, Rule, Stage
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(matrix):
    return {
        "admin": matrix.user("system_admin", "country"),
        "regional_admin": matrix.user("system_admin", "region", "northeast"),
        "auditor": matrix.user("internal_auditor", "country"),
    }


@pytest.fixture
def incident(people):
    return services.incident_open(
        actor=people["admin"], title="ลงชื่อเข้าใช้ผิดจำนวนมาก", description="มีการลองรหัสผ่านจากหลายที่อยู่",
        severity="high",
    )  # fmt: skip


@pytest.mark.parametrize(
    "url", ["/insights/security/", "/insights/security/incidents/new/", "/insights/security/incidents/{id}/"]
)
def test_pages_refuse_anonymous_wrong_role_and_regional_scope(matrix, people, incident, url) -> None:
    path = url.format(id=incident.pk)
    matrix.check(
        lambda c: c.get(path), allowed=people["admin"], wrong_role=people["auditor"],
        out_of_scope=people["regional_admin"],
    )  # fmt: skip


def test_evaluate_button_refuses_others(matrix, people) -> None:
    matrix.check(
        lambda c: c.post("/insights/security/evaluate/"), allowed=people["admin"], wrong_role=people["auditor"],
        out_of_scope=people["regional_admin"],
        allowed_ok=lambda r: r.status_code == 302 and r["Location"] == "/insights/security/",
    )  # fmt: skip


def test_an_incident_walks_every_stage_and_closes_only_with_lessons(people, incident) -> None:
    admin = people["admin"]
    for expected in ["triage", "containment", "recovery", "lessons"]:
        incident = services.incident_advance(actor=admin, incident=incident, note=f"ทำขั้น {expected}")
        assert incident.stage == expected
    with pytest.raises(ValidationError) as refused:
        services.incident_advance(actor=admin, incident=incident, note="ปิด")
    assert "lessons" in refused.value.message_dict
    incident.refresh_from_db()
    assert incident.stage == Stage.LESSONS and incident.steps.count() == 4  # nothing half-written
    incident = services.incident_advance(actor=admin, incident=incident, note="ปิด", lessons="เปิดการยืนยันสองขั้น")
    assert incident.stage == Stage.CLOSED and incident.closed_at is not None
    assert (
        AuditEntry.objects.filter(action="insights.incident.advance", object_id=str(incident.pk)).count() == 5
    )
    with pytest.raises(ValidationError):
        services.incident_advance(actor=admin, incident=incident, note="อีกครั้ง")


def test_a_note_is_required_and_the_wrong_role_is_refused(people, incident) -> None:
    with pytest.raises(ValidationError) as refused:
        services.incident_advance(actor=people["admin"], incident=incident, note="  ")
    assert "note" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.incident_advance(actor=people["regional_admin"], incident=incident, note="x")


def test_personal_data_incident_needs_its_pdpa_breach_record_before_closing(people) -> None:
    admin = people["admin"]
    incident = services.incident_open(
        actor=admin, title="ส่งออกข้อมูลสมาชิกผิดปกติ", description="ผู้ใช้หนึ่งส่งออกข้อมูลสมาชิก 5,000 แถวตอนตีสอง",
        severity="critical", personal_data=True,
    )  # fmt: skip
    for _ in range(4):
        incident = services.incident_advance(actor=admin, incident=incident, note="ดำเนินการ")
    with pytest.raises(ValidationError, match="PDPA"):
        services.incident_advance(actor=admin, incident=incident, note="ปิด", lessons="จำกัดการส่งออก")
    incident = services.incident_open_breach(actor=admin, incident=incident, affected_records=5000)
    again = services.incident_open_breach(actor=admin, incident=incident)
    assert (
        incident.breach_id is not None and again.breach_id == incident.breach_id
    )  # a retried click adds nothing
    assert AuditEntry.objects.filter(action="privacy.breach.record").count() == 1
    incident = services.incident_advance(actor=admin, incident=incident, note="ปิด", lessons="จำกัดการส่งออก")
    assert incident.stage == Stage.CLOSED


def test_the_form_keeps_input_and_shows_the_error_beside_the_field(people) -> None:
    client = signed_in_client(people["admin"])
    response = client.post(
        "/insights/security/incidents/new/", {"title": "", "description": "ข้อความที่พิมพ์ไว้", "severity": "high"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "กรุณาระบุหัวข้อ" in page and "ข้อความที่พิมพ์ไว้" in page
    assert not Incident.objects.exists()


def test_an_incident_opened_from_an_alert_links_it(people) -> None:
    from django.utils import timezone

    now = timezone.now()
    alert = Alert.objects.create(
        rule=Rule.FAILED_LOGINS, severity="high", window_start=now, window_end=now, value=40
    )
    client = signed_in_client(people["admin"])
    response = client.post(
        "/insights/security/incidents/new/",
        {"title": "ลองรหัสผ่าน", "description": "จากการแจ้งเตือน", "severity": "high", "alert": [alert.pk]},
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.incident is not None and alert.incident.title == "ลองรหัสผ่าน"
    assert "ลองรหัสผ่าน" in client.get("/insights/security/").content.decode()
