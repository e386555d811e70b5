"""The 5xx-rate rule over real requests through the test client: the platform's metrics middleware
counts each response; a window where server errors pass the limit raises one alert and notifies the
operators, a quiet window raises none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from codi.identity.models import RoleAssignment
from codi.insights.alerts import alerts_evaluate
from codi.insights.models import Alert, RequestTally, Rule
from codi.notifications.models import Notification
from codi.urls import urlpatterns as site
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def broken_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a page that fails, as a real bug would")


urlpatterns = [path("test-broken/", broken_page), *site]
handler500 = "codi.web.errors.server_error"


@pytest.fixture
def operator(db):
    user = UserFactory(email="soc@codi.or.th")
    RoleAssignment.objects.create(user=user, role="system_admin", scope_level="country")
    return user


def _serve(client: Client, ok: int, broken: int) -> None:
    for _ in range(ok):
        assert client.get("/healthz").status_code == 200
    for _ in range(broken):
        assert client.get("/test-broken/").status_code == 500


def _http(alerts):
    return [a for a in alerts if a.rule == Rule.HTTP_5XX]


def test_a_window_of_server_errors_raises_one_alert(operator, settings) -> None:
    settings.ALERT_5XX_PERCENT, settings.ALERT_5XX_WINDOW_SECONDS, settings.ALERT_5XX_MIN_REQUESTS = (
        5,
        300,
        20,
    )
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    start = timezone.now()
    assert _http(alerts_evaluate(now=start)) == []  # the first tally: nothing to compare with yet

    _serve(client, ok=20, broken=10)
    later = start + timedelta(minutes=6)
    raised = _http(alerts_evaluate(now=later))
    assert len(raised) == 1
    alert = raised[0]
    assert alert.detail == {"errors": 10, "requests": 30} and alert.value == round(100 * 10 / 30, 1)
    assert alert.baseline == 5 and alert.window_start == start and alert.window_end == later
    sent = Notification.objects.filter(recipient_user=operator, template_key="insights.alert")
    assert {n.channel for n in sent} == {"in_app", "email"}
    assert _http(alerts_evaluate(now=later)) == []  # the same window again: nothing new

    # The next window: one error in 41 responses (2.4 %) stays under the 5 % limit.
    _serve(client, ok=40, broken=1)
    assert _http(alerts_evaluate(now=later + timedelta(minutes=6))) == []
    assert Alert.objects.filter(rule=Rule.HTTP_5XX).count() == 1


def test_too_few_requests_raise_nothing_until_there_are_enough(operator, settings) -> None:
    settings.ALERT_5XX_PERCENT, settings.ALERT_5XX_WINDOW_SECONDS, settings.ALERT_5XX_MIN_REQUESTS = (
        5,
        300,
        20,
    )
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    start = timezone.now()
    alerts_evaluate(now=start)
    _serve(client, ok=2, broken=3)  # 60 % of five responses: too few to judge
    assert _http(alerts_evaluate(now=start + timedelta(minutes=6))) == []
    _serve(client, ok=0, broken=30)
    # Compared with the newest tally at least five minutes old (the first): 33 errors in 35.
    raised = _http(alerts_evaluate(now=start + timedelta(minutes=7)))
    assert len(raised) == 1 and raised[0].detail == {"errors": 33, "requests": 35}
    assert raised[0].window_start == start and RequestTally.objects.count() == 3
