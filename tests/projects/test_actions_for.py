"""Who may act on which step is decided once: ``selectors.actions_for`` (pages) and the same rule
behind ``notify.step_holders`` (notifications)."""

from __future__ import annotations

import pytest

from codi.projects import notify, selectors, services
from tests.permissions import signed_in_client
from tests.projects.factories import Cast, new_project, staff

pytestmark = pytest.mark.django_db


def test_each_step_is_offered_to_its_role_in_the_area_only():
    cast = Cast.create()
    project = new_project(cast=cast)
    outsider_officer = staff("project_officer", "province", "10")  # Bangkok, not Khon Kaen

    # Draft: the community's own step.
    assert selectors.actions_for(cast.leader, project) == ["draft"]
    assert selectors.actions_for(cast.officer, project) == []

    services.project_submit(actor=cast.leader, project=project)
    project.refresh_from_db()

    # Screening: the area's project officer, nobody else.
    assert selectors.actions_for(cast.officer, project) == ["screening"]
    assert selectors.actions_for(outsider_officer, project) == []
    assert selectors.actions_for(cast.leader, project) == []
    assert selectors.actions_for(cast.director, project) == []
    assert selectors.actions_for(cast.finance, project) == []


def test_notifications_go_to_exactly_the_users_actions_for_offers_the_step():
    cast = Cast.create()
    project = new_project(cast=cast)
    services.project_submit(actor=cast.leader, project=project)
    project.refresh_from_db()
    outsider = staff("project_officer", "province", "10")
    officer_elsewhere = staff("project_officer", "country", is_active=False)

    holders = notify.step_holders(role="project_officer", project=project)

    assert cast.officer in holders
    assert outsider not in holders and officer_elsewhere not in holders
    assert all("screening" in selectors.actions_for(user, project) for user in holders)


def test_the_project_page_shows_only_the_forms_actions_for_allows():
    cast = Cast.create()
    project = new_project(cast=cast)
    services.project_submit(actor=cast.leader, project=project)

    response = signed_in_client(cast.officer).get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    assert 'id="form-screen"' in response.content.decode()

    response = signed_in_client(cast.leader).get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    assert 'id="form-screen"' not in response.content.decode()
