"""Digital-skill self-assessment: own record only, every group answered, re-save replaces,
audited on change; the HR summary counts the rows of the HR scope against the plan's target."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from codi.core.models import AuditEntry
from codi.people import selfassess, training
from codi.people.models import CompetencyTarget, SelfAssessment
from codi.people.services import PeopleError
from tests.permissions import signed_in_client

URL = reverse("people:my_skills")
YEAR = 2570


def _levels(digital, data, ai):
    return {"digital_literacy": str(digital), "data_governance": str(data), "ai_work": str(ai)}


def test_save_replace_audit_and_summary(staff):
    north, head, south = staff["north"].user, staff["head"].user, staff["south"].user
    assert selfassess.self_assess(actor=north, fiscal_year=YEAR, levels=_levels(3, 2, 1)) == {
        "digital_literacy": 3, "data_governance": 2, "ai_work": 1,
    }  # fmt: skip
    selfassess.self_assess(actor=north, fiscal_year=YEAR, levels=_levels(3, 2, 1))  # the same again
    selfassess.self_assess(actor=north, fiscal_year=YEAR, levels=_levels(4, 2, 3))  # changed
    assert selfassess.my_levels(actor=north, fiscal_year=YEAR) == {
        "digital_literacy": 4,
        "data_governance": 2,
        "ai_work": 3,
    }
    assert SelfAssessment.objects.count() == 3
    assert AuditEntry.objects.filter(action="people.self_assess").count() == 2
    with pytest.raises(PeopleError):
        selfassess.self_assess(actor=head, fiscal_year=YEAR, levels={"digital_literacy": "3", "ai_work": "5"})
    assert not SelfAssessment.objects.filter(employee=staff["head"]).exists()
    selfassess.self_assess(actor=head, fiscal_year=YEAR, levels=_levels(2, 1, 1))
    selfassess.self_assess(actor=south, fiscal_year=YEAR, levels=_levels(3, 3, 3))
    with pytest.raises(PermissionDenied):
        selfassess.self_assess(actor=staff["outsider"], fiscal_year=YEAR, levels=_levels(1, 1, 1))
    rows = {r.competency: r for r in selfassess.summary(actor=staff["hr_all"], fiscal_year=YEAR)}
    for code in ("digital_literacy", "data_governance", "ai_work"):
        mine = SelfAssessment.objects.filter(fiscal_year=YEAR, competency=code)
        high = mine.filter(level__gte=3).count()
        assert (rows[code].assessed, rows[code].at_work) == (mine.count(), high)
        assert rows[code].share == round(100 * high / mine.count(), 1)
    target = CompetencyTarget.objects.filter(fiscal_year=YEAR, indicator="digital_at_work").first()
    assert rows["digital_literacy"].target == (float(target.target) if target else None)
    north_only = {r.competency: r for r in selfassess.summary(actor=staff["hr_north"], fiscal_year=YEAR)}
    assert (north_only["ai_work"].assessed, north_only["ai_work"].at_work) == (
        2,
        1,
    )  # the south is not counted
    with pytest.raises(PermissionDenied):
        selfassess.summary(actor=north, fiscal_year=YEAR)


def test_page_form_and_refusals(staff):
    year = training.current_fiscal_year()
    me = signed_in_client(staff["north"].user)
    page = me.get(URL, HTTP_ACCEPT_LANGUAGE="th")
    assert page.status_code == 200 and 'id="skills-summary"' not in page.content.decode()
    bad = me.post(URL, {"digital_literacy": "3"}, HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "กรุณาเลือกระดับของทุกทักษะ" in bad and 'value="3" checked' in bad
    assert me.post(URL, _levels(3, 2, 1)).status_code == 302
    assert SelfAssessment.objects.filter(employee=staff["north"], fiscal_year=year).count() == 3
    head = signed_in_client(staff["head"].user)
    assert head.post(URL, _levels(1, 1, 1)).status_code == 302  # each saves only their own
    assert SelfAssessment.objects.get(employee=staff["north"], competency="ai_work").level == 1
    assert SelfAssessment.objects.get(employee=staff["head"], competency="ai_work").level == 1
    assert SelfAssessment.objects.get(employee=staff["north"], competency="digital_literacy").level == 3
    assert signed_in_client(staff["outsider"]).get(URL).status_code == 403
    assert signed_in_client(staff["outsider"]).post(URL, _levels(1, 1, 1)).status_code == 403
    assert Client(HTTP_HOST="127.0.0.1").get(URL).status_code == 302
    hr = signed_in_client(staff["hr_all"]).get(URL).content.decode()  # HR without a record: the summary only
    assert 'id="skills-summary"' in hr and 'id="skills-form"' not in hr
    assert signed_in_client(staff["hr_all"]).post(URL, _levels(1, 1, 1)).status_code == 403
