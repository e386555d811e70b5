"""A PMS disbursement's journal entry drills down to its project's page, for those who may see it."""

from __future__ import annotations

from codi.finance.models import JournalEntry
from codi.finance.pms_sync import projects_ledger_sync
from codi.projects.models import Project
from tests.finance.test_pms_sync import pms  # noqa: F401 (the PMS project, paid and partly returned)
from tests.permissions import signed_in_client


def test_a_pms_entry_links_to_its_project_page(pms, people):  # noqa: F811
    projects_ledger_sync()
    project = Project.objects.get(code="T-1")
    for source in ("pms.disbursement", "pms.fund_return"):
        entry = JournalEntry.objects.get(source_type=source)
        client = signed_in_client(people["maker"])
        page = client.get(f"/finance/ledger/entries/{entry.pk}/").content.decode()
        assert f'href="/projects/{project.pk}/"' in page, source
        assert client.get(f"/projects/{project.pk}/").status_code == 200
