"""Exceptions pinned on the finance voucher and procurement pages through the core record-badge
registry (finance and procurement never import e-Audit)."""

from __future__ import annotations

import pytest

from codi.audit import services
from codi.audit.models import AuditException
from codi.core import badges
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran(people, planted):
    services.analytics_run(actor=people["auditor"])
    return list(AuditException.objects.filter(rule="duplicate_payment").order_by("record_id"))


def test_voucher_page_links_its_exceptions_for_audit_viewers_only(people, planted, ran):
    voucher = planted["dup"][0]
    page = f"/finance/vouchers/{voucher.pk}/"
    html = signed_in_client(people["auditor"]).get(page).content.decode()
    link = f"/e-audit/exceptions/?source=finance.PaymentVoucher%3A{voucher.pk}"
    assert link in html and 'class="record-badges"' in html
    # the finance officer reads the voucher but not audit results: no badge
    html = signed_in_client(people["maker"]).get(page).content.decode()
    assert (
        voucher.number in html and 'class="record-badges"' not in html and "/e-audit/exceptions/" not in html
    )
    # the near miss has no exception: no badge
    html = (
        signed_in_client(people["auditor"]).get(f"/finance/vouchers/{planted['other'].pk}/").content.decode()
    )
    assert 'class="record-badges"' not in html
    # the queue narrowed to the voucher shows its exception, not the other of the group
    queue = signed_in_client(people["auditor"]).get(link + "&status=").content.decode()
    mine = [e for e in ran if e.source_id == str(voucher.pk)]
    others = [e for e in ran if e.source_id != str(voucher.pk)]
    assert mine and others
    assert (
        f'data-record="{mine[0].record_id}"' in queue and f'data-record="{others[0].record_id}"' not in queue
    )


def test_a_failing_provider_never_breaks_the_page(people, planted, ran):
    def broken(user, object_type, object_id):
        raise RuntimeError("provider down")

    badges.register(broken)
    try:
        found = badges.badges_for(
            user=people["auditor"], object_type="finance.PaymentVoucher", object_id=planted["dup"][0].pk
        )
        assert len(found) == 1 and found[0].url.startswith("/e-audit/exceptions/?source=")
        response = signed_in_client(people["auditor"]).get(f"/finance/vouchers/{planted['dup'][0].pk}/")
        assert response.status_code == 200
    finally:
        badges._PROVIDERS.remove(broken)
    assert badges.badges_for(user=people["leader"], object_type="procurement.Requisition", object_id=1) == []
