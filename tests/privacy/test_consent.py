"""Notices, consents and their withdrawal taking effect in notifications and feedback analytics."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from codi.core.models import AuditEntry
from codi.feedback.selectors import ticket_stats
from codi.notifications.models import Notification
from codi.privacy import selectors, services
from codi.privacy.models import Consent, PrivacyNotice, Purpose

pytestmark = pytest.mark.django_db


def _notice(dpo, purpose=Purpose.NEWSLETTER, n=1):
    return services.notice_publish(
        actor=dpo,
        purpose=purpose,
        title_th=f"ประกาศข่าวสาร ฉบับ {n}",
        title_en=f"News notice v{n}",
        body_th="พอช. จะส่งข่าวกิจกรรมให้ท่าน",
        body_en="CODI will send you news of its activities.",
    )


def test_a_new_notice_version_leaves_the_old_one_unchanged(dpo):
    first = _notice(dpo, n=1)
    second = _notice(dpo, n=2)
    first.refresh_from_db()
    assert (first.version, first.title_en, second.version) == (1, "News notice v1", 2)
    assert selectors.current_notice(Purpose.NEWSLETTER) == second
    assert PrivacyNotice.objects.count() == 2


def test_consent_points_at_the_notice_version_the_person_saw(dpo, seeded):
    _notice(dpo)
    consent = services.consent_record(
        actor=dpo,
        person=seeded.person,
        purpose=Purpose.NEWSLETTER,
        channel="paper",
        evidence_text="แบบฟอร์มเลขที่ 12",
    )
    _notice(dpo, n=2)
    consent.refresh_from_db()
    assert consent.notice.version == 1
    assert selectors.consent_given(seeded.person, Purpose.NEWSLETTER) is True


def test_withdrawing_twice_is_refused_and_writes_nothing(dpo, seeded):
    _notice(dpo)
    services.consent_record(
        actor=dpo, person=seeded.person, purpose=Purpose.NEWSLETTER, channel="web", evidence_text="x"
    )
    services.consent_withdraw(actor=dpo, person=seeded.person, purpose=Purpose.NEWSLETTER, channel="phone")
    audit_before = AuditEntry.objects.count()
    row_before = Consent.objects.values().get()
    with pytest.raises(ValidationError, match="No consent in force to withdraw"):
        services.consent_withdraw(
            actor=dpo, person=seeded.person, purpose=Purpose.NEWSLETTER, channel="phone"
        )
    assert AuditEntry.objects.count() == audit_before
    assert Consent.objects.values().get() == row_before
    assert selectors.consent_given(seeded.person, Purpose.NEWSLETTER) is False


def test_withdrawal_stops_newsletters_to_the_person(dpo, seeded):
    # given the person consented to news and the platform knows their e-mail and LINE (from their report)
    _notice(dpo)
    services.consent_record(
        actor=dpo, person=seeded.person, purpose=Purpose.NEWSLETTER, channel="web", evidence_text="x"
    )
    sent = services.newsletter_send(actor=dpo, persons=[seeded.person], subject="ข่าว", body="งานบุญ")
    assert sent == {"sent": 2, "skipped": 0, "no_contact": 0}
    # when the consent is withdrawn
    services.consent_withdraw(actor=dpo, person=seeded.person, purpose=Purpose.NEWSLETTER, channel="web")
    # then the next newsletter is not sent, and says why
    sent = services.newsletter_send(actor=dpo, persons=[seeded.person], subject="ข่าว", body="งานบุญ")
    assert sent == {"sent": 0, "skipped": 2, "no_contact": 0}
    skipped = Notification.objects.filter(status="skipped")
    assert set(skipped.values_list("last_error", flat=True)) == {"no consent for newsletter"}


def test_an_essential_message_is_not_stopped_by_a_withdrawal(dpo, seeded):
    _notice(dpo)
    services.consent_record(
        actor=dpo, person=seeded.person, purpose=Purpose.NEWSLETTER, channel="web", evidence_text="x"
    )
    services.consent_withdraw(actor=dpo, person=seeded.person, purpose=Purpose.NEWSLETTER, channel="web")
    messages = services.person_notify(
        person=seeded.person, purpose="", template_key="generic", context={"subject": "s", "body": "b"}
    )
    assert {m.status for m in messages} == {"pending"}


def test_withdrawing_analytics_consent_drops_the_persons_reports_from_feedback_statistics(dpo, seeded):
    _notice(dpo, purpose=Purpose.ANALYTICS)
    services.consent_record(
        actor=dpo, person=seeded.person, purpose=Purpose.ANALYTICS, channel="web", evidence_text="x"
    )
    assert ticket_stats(user=dpo)["total"] == 1
    services.consent_withdraw(actor=dpo, person=seeded.person, purpose=Purpose.ANALYTICS, channel="web")
    assert ticket_stats(user=dpo)["total"] == 0


def test_an_objection_stops_processing_for_the_purpose(dpo, seeded):
    from tests.privacy.conftest import NATIONAL_ID

    _notice(dpo)
    services.consent_record(
        actor=dpo, person=seeded.person, purpose=Purpose.NEWSLETTER, channel="web", evidence_text="x"
    )
    request = services.dsr_create(
        actor=dpo, kind="objection", national_id=NATIONAL_ID, requester_name="ผู้ขอ", channel="web"
    )
    services.dsr_verify_identity(actor=dpo, request=request, method="ThaID")
    services.dsr_restrict(actor=dpo, request=request, purpose="all")
    assert selectors.consent_given(seeded.person, Purpose.NEWSLETTER) is False
    assert selectors.consent_given(seeded.person, Purpose.MEMBER_REGISTRY) is False


def test_consent_needs_a_published_notice_and_evidence(dpo, seeded):
    with pytest.raises(ValidationError, match="No notice for this purpose"):
        services.consent_record(
            actor=dpo, person=seeded.person, purpose="newsletter", channel="web", evidence_text="x"
        )
    _notice(dpo)
    with pytest.raises(ValidationError, match="Evidence of consent is required"):
        services.consent_record(actor=dpo, person=seeded.person, purpose="newsletter", channel="web")
