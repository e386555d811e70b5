"""Delegation of approval authority: a delegate approves within the delegator's limit and dates,
never their own voucher; expired, exceeded and out-of-scope attempts are refused; page and API."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from codi.core.models import AuditEntry
from codi.finance import delegation, vouchers
from codi.finance.ledger import FinanceError
from codi.finance.models import ApprovalDelegation, BudgetLine, VoucherStatus
from tests.finance.conftest import make_user
from tests.permissions import signed_in_client

PAY = {"payee_bank_code": "006", "payee_account_no": "1234567890", "description": "ค่าจ้างเหมาบริการ"}


@pytest.fixture
def deputy(db):
    return make_user("finance_officer")  # holds no check or approval authority of their own


def _at_approval(people, budget, amount="150000.00", maker=None):
    BudgetLine.objects.filter(pk=budget.pk).update(allocated=Decimal("900000.00"))
    voucher = vouchers.voucher_create(
        actor=maker or people["maker"],
        budget_line=budget,
        payee_name="บริษัท ตัวอย่าง จำกัด",
        amount=amount,
        **PAY,
    )
    vouchers.voucher_submit(actor=maker or people["maker"], voucher=voucher)
    return vouchers.voucher_check(actor=people["chief"], voucher=voucher, decision="pass")


def _lend(people, deputy, *, step="approve", amount="200000.00", days=(0, 6)):
    today = timezone.localdate()
    return delegation.delegation_create(
        actor=people["executive"] if step == "approve" else people["chief"], delegate=deputy, step=step,
        max_amount=amount, starts_on=today + timedelta(days=days[0]), ends_on=today + timedelta(days=days[1]),
        reason="ลาพักร้อน",
    )  # fmt: skip


def test_a_delegate_approves_within_the_limit_and_range_on_behalf_of_the_executive(people, budget, deputy):
    voucher = _at_approval(people, budget)
    with pytest.raises(PermissionDenied):  # no authority, no delegation
        vouchers.voucher_approve(actor=deputy, voucher=voucher, decision="approve")
    lent = _lend(people, deputy)
    assert _lend(people, deputy).pk == lent.pk  # asked again: the same delegation
    voucher = vouchers.voucher_approve(actor=deputy, voucher=voucher, decision="approve")
    assert (voucher.status, voucher.approved_by_id) == (VoucherStatus.APPROVED, deputy.pk)
    audit = AuditEntry.objects.filter(action="finance.voucher_approve", object_id=str(voucher.pk)).get()
    assert audit.changes["on_behalf_of"] == people["executive"].pk
    assert audit.changes["delegation"] == lent.pk
    assert AuditEntry.objects.filter(action="finance.delegation_create", object_id=str(lent.pk)).exists()


def test_above_the_delegated_amount_expired_revoked_and_not_started_are_refused(people, budget, deputy):
    voucher = _at_approval(people, budget)
    lent = _lend(people, deputy, amount="120000.00")
    with pytest.raises(FinanceError) as refused:
        vouchers.voucher_approve(actor=deputy, voucher=voucher, decision="approve")
    assert "delegated limit" in refused.value.message_en
    ApprovalDelegation.objects.filter(pk=lent.pk).update(
        max_amount=Decimal("200000.00"), ends_on=timezone.localdate() - timedelta(days=1),
        starts_on=timezone.localdate() - timedelta(days=5),
    )  # fmt: skip
    with pytest.raises(FinanceError) as refused:
        vouchers.voucher_approve(actor=deputy, voucher=voucher, decision="approve")
    assert "expired" in refused.value.message_en
    ApprovalDelegation.objects.filter(pk=lent.pk).update(
        starts_on=timezone.localdate() + timedelta(days=1), ends_on=timezone.localdate() + timedelta(days=3)
    )
    with pytest.raises(FinanceError) as refused:
        vouchers.voucher_approve(actor=deputy, voucher=voucher, decision="approve")
    assert "not started" in refused.value.message_en
    ApprovalDelegation.objects.filter(pk=lent.pk).update(starts_on=timezone.localdate())
    delegation.delegation_revoke(actor=people["executive"], delegation=lent)
    with pytest.raises(FinanceError) as refused:
        vouchers.voucher_approve(actor=deputy, voucher=voucher, decision="approve")
    assert "revoked" in refused.value.message_en
    assert _status(voucher) == VoucherStatus.APPROVAL


def _status(voucher):
    voucher.refresh_from_db()
    return voucher.status


def test_a_delegate_never_approves_a_voucher_they_made(people, budget, deputy):
    _lend(people, deputy)
    own = _at_approval(people, budget, maker=deputy)
    with pytest.raises(FinanceError) as refused:
        vouchers.voucher_approve(actor=deputy, voucher=own, decision="approve")
    assert "maker or checker" in refused.value.message_en
    assert _status(own) == VoucherStatus.APPROVAL


def test_a_delegated_check_within_the_chief_accountants_limit(people, budget, deputy):
    BudgetLine.objects.filter(pk=budget.pk).update(allocated=Decimal("900000.00"))
    _lend(people, deputy, step="check", amount="50000.00")
    small = vouchers.voucher_create(
        actor=people["maker"], budget_line=budget, payee_name="ร้าน ก", amount="30000.00", **PAY
    )
    vouchers.voucher_submit(actor=people["maker"], voucher=small)
    small = vouchers.voucher_check(actor=deputy, voucher=small, decision="pass")
    assert (small.status, small.approved_by_id) == (VoucherStatus.APPROVED, deputy.pk)


@pytest.mark.parametrize(
    ("who", "step", "amount", "days", "message"),
    [
        ("maker", "approve", "1000.00", (0, 3), "do not hold"),
        ("chief", "check", "150000.00", (0, 3), "own limit"),
        ("executive", "approve", "1000.00", (3, 1), "before the start"),
        ("executive", "approve", "1000.00", (-9, -2), "already ended"),
        ("executive", "approve", "1000.00", (0, 400), "At most 180 days"),
    ],
)
def test_delegations_that_cannot_be_made_are_refused(people, deputy, who, step, amount, days, message):
    today = timezone.localdate()
    with pytest.raises(FinanceError) as refused:
        delegation.delegation_create(
            actor=people[who], delegate=deputy, step=step, max_amount=amount,
            starts_on=today + timedelta(days=days[0]), ends_on=today + timedelta(days=days[1]), reason="ลา",
        )  # fmt: skip
    assert message in refused.value.message_en
    with pytest.raises(FinanceError) as refused:
        delegation.delegation_create(
            actor=people["executive"], delegate=people["executive"], step="approve", max_amount="1",
            starts_on=today, ends_on=today, reason="ลา",
        )  # fmt: skip
    assert "yourself" in refused.value.message_en
    assert not ApprovalDelegation.objects.exists()


def test_buddhist_era_dates_are_read_and_bad_ones_refused():
    assert delegation.parse_date("15/12/2569", field_th="ก", field_en="a").isoformat() == "2026-12-15"
    for bad in ("15/12/2026", "31/02/2569", "tomorrow", ""):
        with pytest.raises(FinanceError):
            delegation.parse_date(bad, field_th="ก", field_en="a")


def test_the_page_records_a_delegation_in_thai_and_refuses_outsiders(people, deputy):
    assert signed_in_client(people["project_officer"]).get("/finance/delegations/").status_code == 403
    client = signed_in_client(people["executive"])
    page = client.get("/finance/delegations/", HTTP_ACCEPT_LANGUAGE="th")
    assert page.status_code == 200 and 'id="delegation-new"' in page.content.decode()
    today = timezone.localdate()
    form = {"step": "approve", "delegate": deputy.username, "max_amount": "50,000", "reason": "ไปราชการ",
            "starts_on": f"{today:%d/%m}/{today.year + 543}", "ends_on": "31/13/2569"}  # fmt: skip
    bad = client.post("/finance/delegations/", form)
    assert bad.status_code == 400
    assert 'id="err-ends_on"' in bad.content.decode() and 'value="ไปราชการ"' in bad.content.decode()
    assert not ApprovalDelegation.objects.exists()
    end = today + timedelta(days=3)
    good = client.post("/finance/delegations/", {**form, "ends_on": f"{end:%d/%m}/{end.year + 543}"})
    assert good.status_code == 302
    made = ApprovalDelegation.objects.get()
    assert (made.delegate_id, made.max_amount, made.ends_on) == (deputy.pk, Decimal("50000.00"), end)
    # The delegate sees it (nothing of their own to delegate); the executive revokes it.
    seen = signed_in_client(deputy).get("/finance/delegations/")
    assert seen.status_code == 200 and str(deputy) in seen.content.decode()
    assert 'id="delegation-new"' not in seen.content.decode()
    assert client.post("/finance/delegations/", {"revoke": str(made.pk)}).status_code == 302
    made.refresh_from_db()
    assert made.revoked_at is not None


def test_the_api_delegates_and_refuses_those_without_authority(people, deputy):
    today = timezone.localdate()
    body = {"delegate": deputy.username, "step": "approve", "max_amount": "1000.00",
            "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=2)).isoformat(), "reason": "ลา"}  # fmt: skip
    outsider = signed_in_client(people["project_officer"])
    assert (
        outsider.post("/api/v1/finance/delegations", body, content_type="application/json").status_code == 403
    )
    assert outsider.get("/api/v1/finance/delegations").status_code == 403
    client = signed_in_client(people["executive"])
    made = client.post("/api/v1/finance/delegations", body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["delegate"] == deputy.username
    over = client.post(
        "/api/v1/finance/delegations", {**body, "step": "check"}, content_type="application/json"
    )
    assert over.status_code == 422  # the executive does not hold the check authority
    assert "do not hold" in over.content.decode()
    listed = signed_in_client(deputy).get("/api/v1/finance/delegations").json()
    assert [d["id"] for d in listed] == [made.json()["id"]]
