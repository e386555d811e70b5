"""The procurement demo: requisitions at every step, each actionable by the demo user of the role."""

from __future__ import annotations

from decimal import Decimal

from django.core.management import call_command

from codi.finance.demo import finance_demo_load
from codi.finance.models import JournalEntry
from codi.identity.models import User
from codi.procurement import selectors, supplies
from codi.procurement.demo import procurement_demo_load
from codi.procurement.models import Asset, Delivery, PlanLine, Requisition
from tests.permissions import signed_in_client


def test_demo_covers_every_step_every_record_can_be_acted_on_and_is_idempotent(db):
    call_command("load_demo", verbosity=0)
    finance_demo_load()
    summary = procurement_demo_load()
    assert sorted(summary.requisitions_by_step.values()) == sorted(
        ["paid", "paid", "inspect", "procure", "approve", "prepare", "rejected"]
    )
    assert summary.plan_lines == 7 and PlanLine.objects.filter(is_published=True).count() == 7
    inbox = {
        name: set(
            selectors.inbox(actor=User.objects.get(username=name)).values_list("current_step", flat=True)
        )
        for name in ("demo_hr", "demo_executive", "demo_procurement", "demo_auditor")
    }
    assert inbox == {
        "demo_hr": {"prepare"},
        "demo_executive": {"approve"},
        "demo_procurement": {"procure"},
        "demo_auditor": {"inspect"},
    }
    assert Asset.objects.filter(delivery__isnull=False).count() == 6  # the notebooks
    assert Asset.objects.filter(delivery__isnull=True).count() == 6  # the imported register
    assert Delivery.objects.filter(late_days=3).exists()
    # every demo record opens for the user whose step it is
    for req in Requisition.objects.filter(is_demo=True):
        who = {"prepare": "demo_hr", "approve": "demo_executive", "procure": "demo_procurement",
               "inspect": "demo_auditor"}.get(req.current_step, "demo_procurement")  # fmt: skip
        page = signed_in_client(User.objects.get(username=who)).get(f"/procurement/requisitions/{req.pk}/")
        assert page.status_code == 200, (req.number, who)
    # the store: FIFO values at changing prices, toner below its minimum (14 received, 11 issued, min 5)
    balances = {b.item.code: b for b in supplies.balances()}
    assert (balances["DEMO-A4"].quantity, balances["DEMO-A4"].value) == (Decimal("45.00"), Decimal("5647.50"))
    assert [b.item.code for b in supplies.below_minimum()] == ["DEMO-TONER"]
    entries = JournalEntry.objects.count()
    again = procurement_demo_load()
    assert (
        again.requisitions_by_step == summary.requisitions_by_step and JournalEntry.objects.count() == entries
    )


def test_procurement_pages_crawl_clean_for_the_demo_roles(db):
    from tests.crawl.crawler import crawl

    call_command("load_demo", verbosity=0)
    finance_demo_load()
    procurement_demo_load()
    usernames = set(User.objects.values_list("username", flat=True))
    start = ["/procurement/", "/procurement/requisitions/", "/procurement/plan/", "/procurement/thresholds/",
             "/procurement/assets/", "/procurement/counts/", "/procurement/process/as-is/",
             "/procurement/supplies/", "/procurement/announcements/"]  # fmt: skip
    problems = []
    for name in ("demo_procurement", "demo_executive", "demo_hr"):
        client = signed_in_client(User.objects.get(username=name), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        result = crawl(client, role=name, start=start, usernames=usernames, max_pages=40)
        problems += [
            f"{name} {f.kind} {f.url}: {f.detail}"
            for f in result.findings
            if f.url.startswith("/procurement/")
        ]
    assert not problems, "\n".join(problems)
