"""Alert rules: an injected spike of failed sign-ins raises one alert and notifies the operators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from codi.core.audit import audit_read
from codi.core.models import AuditEntry
from codi.identity.models import RoleAssignment
from codi.identity.services import login_check
from codi.insights.alerts import alerts_evaluate
from codi.insights.models import Alert, Rule
from codi.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    user = UserFactory(email="soc@codi.or.th")
    RoleAssignment.objects.create(user=user, role="system_admin", scope_level="country")
    return user


def _fail(times: int) -> None:
    for i in range(times):
        result = login_check(username=f"ghost{i}", password="wrong", ip=f"10.9.{i // 200}.{i % 200 + 1}")
        assert result.user is None


def test_a_spike_of_failed_sign_ins_raises_an_alert_and_a_notification(operator) -> None:
    _fail(40)
    created = alerts_evaluate()
    spikes = [a for a in created if a.rule == Rule.FAILED_LOGINS]
    assert len(spikes) == 1
    alert = spikes[0]
    assert alert.value == 40 and alert.baseline == 0
    assert alert.window_start <= timezone.now() < alert.window_end
    sent = Notification.objects.filter(recipient_user=operator, template_key="insights.alert")
    assert {n.channel for n in sent} == {"in_app", "email"}
    assert sent.get(channel="in_app").subject.startswith("[แจ้งเตือนความปลอดภัย]")
    # Evaluating again adds nothing and notifies no one again.
    assert [a for a in alerts_evaluate() if a.rule == Rule.FAILED_LOGINS] == []
    assert Notification.objects.filter(recipient_user=operator, template_key="insights.alert").count() == 2


def test_a_few_failed_sign_ins_are_not_an_alert(operator) -> None:
    _fail(2)
    assert [a for a in alerts_evaluate() if a.rule == Rule.FAILED_LOGINS] == []
    assert not Alert.objects.filter(rule=Rule.FAILED_LOGINS).exists()


def test_personal_data_viewed_at_night_raises_an_out_of_hours_alert(operator, monkeypatch) -> None:
    viewer = UserFactory()
    night = timezone.now().astimezone(timezone.get_fixed_timezone(7 * 60)).replace(hour=23, minute=10)
    monkeypatch.setattr(timezone, "now", lambda: night)  # the entry's time: 23:10 Bangkok
    audit_read(actor=viewer, object_type="communities.person", object_id=5, fields=["national_id"])
    monkeypatch.undo()
    created = alerts_evaluate(now=night + timedelta(minutes=5))
    late = [a for a in created if a.rule == Rule.OUT_OF_HOURS]
    label = AuditEntry.objects.filter(action="personal_data.view").latest("id").actor_label
    assert [a.subject for a in late] == [label] and label
