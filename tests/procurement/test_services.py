"""Procurement services: thresholds, committees, budget, award, inspection, payment."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from codi.finance.models import Account, BudgetLine, JournalEntry
from codi.finance.selectors import account_balance
from codi.procurement import rules, services
from codi.procurement.models import Asset, Committee, Delivery, MethodThreshold, RequisitionStatus
from codi.procurement.services import ProcurementError
from tests.procurement.conftest import appoint_all, computers, make_requisition


@pytest.mark.parametrize(
    ("amount", "catalog", "expected"),
    [
        ("0.01", False, "specific"),
        ("500000.00", False, "specific"),
        ("500000.01", False, "e_bidding"),
        ("500000.01", True, "e_market"),
        ("12000000.00", False, "e_bidding"),
    ],
)
def test_the_thresholds_table_suggests_the_method_by_amount(db, amount, catalog, expected):
    assert services.method_suggest(amount=Decimal(amount), category="goods", in_e_catalog=catalog) == expected


def test_the_seeded_table_cites_its_source_and_is_editable(db):
    specific = MethodThreshold.objects.get(method="specific")
    assert specific.max_amount == Decimal("500000.00") and "กฎกระทรวง" in specific.source
    officer = __import__("tests.finance.conftest", fromlist=["make_user"]).make_user("procurement_officer")
    services.threshold_update(
        actor=officer,
        row=specific,
        max_amount="1000000",
        effective_from=date(2017, 8, 23),
        source="กฎกระทรวง (ทดสอบ)",
    )
    assert (
        services.method_suggest(amount=Decimal("800000"), category="goods", in_e_catalog=False) == "specific"
    )


def test_a_method_not_allowed_for_the_amount_is_refused(people, budget):
    with pytest.raises(ProcurementError) as refused:
        make_requisition(people, budget, items=computers(22), method="specific")  # 550,000 baht
    assert "500,000.00" in refused.value.message_th
    req = make_requisition(
        people, budget, items=computers(22), method="specific", method_reason="ม.56(2)(ค) จำเป็นเร่งด่วน น้ำท่วม"
    )
    assert req.method == "specific" and req.suggested_method == "e_bidding"
    with pytest.raises(ProcurementError):
        make_requisition(people, budget, items=computers(22), method="e_market")


def test_requisition_totals_items_and_suggests(people, budget):
    req = make_requisition(people, budget)
    assert req.reference_price == Decimal("125000.00")
    assert req.method == "specific" and req.current_step == "prepare" and req.number.startswith("PR")


def test_requester_cannot_sit_on_the_inspection_committee(people, budget):
    req = make_requisition(people, budget)
    with pytest.raises(ProcurementError) as refused:
        services.committee_appoint(
            actor=people["requester"],
            requisition=req,
            committee=Committee.INSPECTION,
            user=people["requester"],
        )
    assert "ผู้ขอซื้อขอจ้าง" in refused.value.message_th
    services.committee_appoint(
        actor=people["requester"], requisition=req, committee=Committee.PROCUREMENT, user=people["m1"]
    )
    with pytest.raises(ProcurementError):
        services.committee_appoint(
            actor=people["requester"], requisition=req, committee=Committee.INSPECTION, user=people["m1"]
        )
    assert req.committee.count() == 1


def test_incomplete_committees_block_submission(people, budget):
    req = make_requisition(people, budget)
    with pytest.raises(ProcurementError):
        services.requisition_submit(actor=people["requester"], requisition=req)
    assert req.current_step == "prepare"


def test_approver_who_sits_on_a_committee_is_refused(people, budget):
    req = make_requisition(people, budget)
    appoint_all(people, req)
    services.committee_appoint(
        actor=people["requester"], requisition=req, committee=Committee.TOR, user=people["head"]
    )
    services.requisition_submit(actor=people["requester"], requisition=req)
    with pytest.raises(ProcurementError):
        services.requisition_approve(actor=people["head"], requisition=req, decision="approve")
    assert BudgetLine.objects.get(pk=budget.pk).committed == 0


def test_approval_commits_and_overspend_names_the_available_amount(people, budget, approved):
    line = BudgetLine.objects.get(pk=budget.pk)
    assert line.committed == Decimal("125000.00") and approved.current_step == "procure"
    big = make_requisition(
        people, budget, items=computers(19)
    )  # 475,000 > 475,000? no: 600k-125k = 475k fits
    appoint_all(people, big)
    services.requisition_submit(actor=people["requester"], requisition=big)
    services.requisition_approve(actor=people["head"], requisition=big, decision="approve")
    over = make_requisition(people, budget, items=computers(1, "10000"))
    appoint_all(people, over)
    services.requisition_submit(actor=people["requester"], requisition=over)
    with pytest.raises(Exception) as refused:
        services.requisition_approve(actor=people["head"], requisition=over, decision="approve")
    assert "0.00" in refused.value.message_th  # names what is left
    over.refresh_from_db()
    assert over.current_step == "approve" and BudgetLine.objects.get(pk=budget.pk).committed == Decimal(
        "600000.00"
    )


def test_split_purchases_are_flagged(people, budget):
    make_requisition(people, budget, items=computers(10))  # 250,000
    second = make_requisition(people, budget, items=computers(11))  # 275,000 → 525,000 in 90 days
    assert second.red_flags and "แบ่งซื้อ" in second.red_flags[0]


def test_out_of_scope_and_wrong_role_are_refused(people, budget, approved):
    with pytest.raises(PermissionDenied):
        make_requisition({"requester": people["project_officer"]}, budget)
    with pytest.raises(PermissionDenied):
        services.quotation_add(
            actor=people["south"],
            requisition=approved,
            vendor_name="x",
            vendor_tax_id="0105555000001",
            amount="1",
        )


def _award(people, approved, due=None):
    q = services.quotation_add(
        actor=people["officer"],
        requisition=approved,
        vendor_name="บริษัท ไอที จำกัด",
        vendor_tax_id="0105555000001",
        amount="120000",
    )
    today = timezone.localdate()
    return services.contract_award(
        actor=people["officer"],
        quotation=q,
        signed_on=today - timedelta(days=20),
        delivery_due=due or today - timedelta(days=10),
        penalty_rate_percent="0.2",
    )


def test_award_replaces_the_commitment_with_the_contract_amount(people, budget, approved):
    contract = _award(people, approved)
    assert BudgetLine.objects.get(pk=budget.pk).committed == Decimal("120000.00")
    assert contract.requisition.current_step == "inspect"


def test_partial_delivery_inspection_penalty_payment_assets(people, budget, approved):
    contract = _award(people, approved)
    today = timezone.localdate()
    first = services.delivery_record(
        actor=people["officer"], contract=contract, delivered_on=today - timedelta(days=12), amount="48000"
    )
    with pytest.raises(PermissionDenied):
        services.delivery_inspect(actor=people["requester"], delivery=first, accept=True)
    first = services.delivery_inspect(
        actor=people["i1"], delivery=first, accept=True, inspected_on=today - timedelta(days=12)
    )
    assert first.late_days == 0 and first.penalty == 0 and not first.is_final
    assert BudgetLine.objects.get(pk=budget.pk).actual == 0  # committed until the contract is complete
    second = services.delivery_record(
        actor=people["officer"], contract=contract, delivered_on=today - timedelta(days=5), amount="72000"
    )
    with pytest.raises(ProcurementError):
        services.delivery_record(
            actor=people["officer"], contract=contract, delivered_on=today, amount="0.01"
        )
    second = services.delivery_inspect(
        actor=people["i2"], delivery=second, accept=True, inspected_on=today - timedelta(days=5)
    )
    # 5 days late (due today-10, delivered today-5) × 0.2 % × 72,000 = 720.00
    assert second.late_days == 5 and second.penalty == Decimal("720.00") and second.is_final
    line = BudgetLine.objects.get(pk=budget.pk)
    assert line.committed == 0 and line.actual == Decimal("120000.00")
    assets = list(Asset.objects.filter(delivery__contract=contract))
    assert len(assets) == 5 and {a.cost for a in assets} == {Decimal("24000.00")}
    assert account_balance(account=Account.objects.get(code="1206010101")) == Decimal("120000.00")
    req = contract.requisition
    req.refresh_from_db()
    assert req.current_step == "pay"
    with pytest.raises(PermissionDenied):
        services.requisition_pay(actor=people["officer"], requisition=req)
    paid = services.requisition_pay(actor=people["payer"], requisition=req)
    assert len(paid) == 2
    entries = JournalEntry.objects.filter(source_type="procurement.payment").count()
    req.refresh_from_db()
    assert req.status == RequisitionStatus.PAID
    with pytest.raises(ProcurementError):
        services.requisition_pay(actor=people["payer"], requisition=req)
    assert JournalEntry.objects.filter(source_type="procurement.payment").count() == entries == 2
    assert account_balance(account=Account.objects.get(code="2101010101")) == 0
    assert account_balance(account=Account.objects.get(code="1101020601")) == Decimal("-119280.00")


def test_late_inspection_needs_a_reason_and_rejection_writes_nothing(people, budget, approved):
    contract = _award(people, approved)
    today = timezone.localdate()
    d = services.delivery_record(
        actor=people["officer"], contract=contract, delivered_on=today - timedelta(days=15), amount="1000"
    )
    with pytest.raises(ProcurementError):
        services.delivery_inspect(actor=people["i1"], delivery=d, accept=True, inspected_on=today)
    assert Delivery.objects.get(pk=d.pk).status == "pending"
    rejected = services.delivery_inspect(
        actor=people["i1"],
        delivery=d,
        accept=False,
        inspected_on=today,
        late_reason="กรรมการติดราชการ",
        comment="สเปกไม่ตรง",
    )
    assert rejected.status == "rejected"
    assert not JournalEntry.objects.filter(source_type="procurement.acceptance").exists()


def test_penalty_arithmetic():
    assert rules.penalty(amount=Decimal("100000"), rate_percent=Decimal("0.1"), late_days=3) == Decimal(
        "300.00"
    )
    assert rules.penalty(amount=Decimal("100000"), rate_percent=Decimal("0.1"), late_days=0) == 0


def test_an_individual_vendor_is_found_and_kept_as_an_official_record(people, budget, approved):
    from types import SimpleNamespace

    from codi.core import personaldata

    services.quotation_add(
        actor=people["officer"], requisition=approved, vendor_name="นายสมชาย ใจดี", vendor_tax_id="3101700012345",
        amount="1000",
    )  # fmt: skip
    person = SimpleNamespace(
        first_name_th="สมชาย", last_name_th="ใจดี", address="", national_id="3101700012345"
    )
    subject = personaldata.Subject(person=person, national_id="3101700012345", phone="")
    collector = personaldata.collector("procurement")
    assert collector.collect(subject)["procurement.Quotation"][0]["vendor"] == "นายสมชาย ใจดี"
    outcome = collector.erase(subject, dry_run=True)
    assert [o.action for o in outcome] == ["keep"] and outcome[0].rule == "official_record"


def test_return_goes_back_to_prepare_and_reject_ends_without_commitment(people, budget):
    req = make_requisition(people, budget)
    appoint_all(people, req)
    services.requisition_submit(actor=people["requester"], requisition=req)
    with pytest.raises(ProcurementError):
        services.requisition_approve(actor=people["head"], requisition=req, decision="return")  # no reason
    req = services.requisition_approve(
        actor=people["head"], requisition=req, decision="return", comment="แก้สเปก"
    )
    assert req.current_step == "prepare" and req.status == RequisitionStatus.DRAFT
    services.requisition_submit(actor=people["requester"], requisition=req)
    req = services.requisition_approve(
        actor=people["head"], requisition=req, decision="reject", comment="ไม่จำเป็น"
    )
    assert req.status == RequisitionStatus.REJECTED and req.current_step == ""
    assert BudgetLine.objects.get(pk=budget.pk).committed == 0
    assert [s.task_key for s in req.steps.all()] == ["prepare", "approve", "prepare", "approve"]


def test_the_published_plan_is_an_open_dataset(people, budget):
    from codi.opendata import services as opendata

    services.plan_line_create(
        actor=people["officer"], budget_line=budget, title="จัดซื้อคอมพิวเตอร์", category="goods",
        estimated_amount="250000", quarter=2,
    )  # fmt: skip
    services.plan_line_create(
        actor=people["officer"], budget_line=budget, title="จ้างออกแบบ", category="services",
        estimated_amount="900000", quarter=3,
    )  # fmt: skip
    assert services.plan_publish(actor=people["officer"], year_be=budget.fiscal_year.year_be) == 2
    outcome = opendata.dataset_publish(actor=None, name="procurement-plan")
    assert outcome.rows == 2


def test_overlong_text_and_warranty_are_refused_not_a_database_error(people, budget, approved):
    with pytest.raises(ProcurementError):
        make_requisition(people, budget, items=[services.ItemIn("ก" * 301, 1, "ชิ้น", "100")])
    q = services.quotation_add(
        actor=people["officer"],
        requisition=approved,
        vendor_name="ร้าน ก",
        vendor_tax_id="0105555000001",
        amount="1000",
    )
    today = timezone.localdate()
    with pytest.raises(ProcurementError):
        services.contract_award(
            actor=people["officer"], quotation=q, signed_on=today, delivery_due=today, penalty_rate_percent="0.1",
            warranty_months=99999,
        )  # fmt: skip
    with pytest.raises(ProcurementError):
        services.contract_award(
            actor=people["officer"],
            quotation=q,
            signed_on=today,
            delivery_due=today,
            penalty_rate_percent="5",
        )
