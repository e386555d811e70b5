"""Money rules: idempotent disbursement, commitment control, reductions, returns, and a property test
that no sequence of actions leaves a budget line negative or its totals different from its rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codi.projects import services
from codi.projects.models import (
    BudgetLine,
    Disbursement,
    FundReturn,
    Installment,
    Project,
)
from tests.projects.factories import Cast, ProgramFactory, disburse, project_at, report

pytestmark = pytest.mark.django_db


def _line(project: Project) -> BudgetLine:
    return BudgetLine.objects.get(pk=Project.objects.get(pk=project.pk).budget_line_id)


def test_same_key_returns_the_same_disbursement_and_pays_once():
    cast = Cast.create()
    project = project_at("disburse", cast=cast)
    installment = project.installments.get(number=1)
    first = services.installment_disburse(actor=cast.finance, installment=installment, idempotency_key="k-1")
    again = services.installment_disburse(actor=cast.finance, installment=installment, idempotency_key="k-1")
    assert again.pk == first.pk
    assert Disbursement.objects.count() == 1
    line = _line(project)
    assert (line.committed, line.disbursed) == (Decimal("180000.00"), Decimal("90000.00"))


def test_another_key_for_a_paid_installment_is_refused_clearly():
    cast = Cast.create()
    project = project_at("disburse", cast=cast)
    installment = project.installments.get(number=1)
    services.installment_disburse(
        actor=cast.finance, installment=installment, idempotency_key="k-1", reference="TR1"
    )
    with pytest.raises(services.ProjectError) as error:
        services.installment_disburse(actor=cast.finance, installment=installment, idempotency_key="k-2")
    assert error.value.code == "already_disbursed"
    assert "TR1" in error.value.message_en and "งวดที่ 1 จ่ายไปแล้ว" in error.value.message_th
    assert Disbursement.objects.count() == 1


def test_a_key_used_for_another_installment_is_refused():
    cast = Cast.create()
    first = project_at("disburse", cast=cast)
    other = project_at("disburse", cast=cast)
    services.installment_disburse(
        actor=cast.finance, installment=first.installments.get(number=1), idempotency_key="k"
    )
    with pytest.raises(services.ProjectError) as error:
        services.installment_disburse(
            actor=cast.finance, installment=other.installments.get(number=1), idempotency_key="k"
        )
    assert error.value.code == "idempotency_key_reused"


def test_disbursing_needs_the_agreement_and_the_previous_report_accepted():
    cast = Cast.create()
    project = project_at("agreement", cast=cast)
    with pytest.raises(services.ProjectError) as before_agreement:
        services.installment_disburse(
            actor=cast.finance, installment=project.installments.get(number=1), idempotency_key="a"
        )
    project = services.project_agreement_sign(actor=cast.officer, project=project)
    with pytest.raises(services.ProjectError) as out_of_order:
        services.installment_disburse(
            actor=cast.finance, installment=project.installments.get(number=2), idempotency_key="b"
        )
    disburse(project, cast)
    submitted = report(project, cast)
    with pytest.raises(services.ProjectError) as report_not_accepted:
        services.installment_disburse(
            actor=cast.finance, installment=project.installments.get(number=2), idempotency_key="c"
        )
    services.report_review(actor=cast.officer, report=submitted, decision="accept")
    paid = services.installment_disburse(
        actor=cast.finance, installment=project.installments.get(number=2), idempotency_key="c"
    )
    assert (before_agreement.value.code, out_of_order.value.code, report_not_accepted.value.code) == (
        "conditions_not_met",
        "out_of_order",
        "conditions_not_met",
    )
    assert paid.amount == Decimal("90000.00")


def test_disbursing_beyond_the_balance_is_refused_and_nothing_moves():
    # given an installment whose money is not (or no longer) committed on the line, e.g. legacy data
    cast = Cast.create()
    project = project_at("disburse", cast=cast)
    BudgetLine.objects.filter(pk=project.budget_line_id).update(committed=Decimal("50000.00"))
    with pytest.raises(services.ProjectError) as error:
        disburse(project, cast)
    assert error.value.code == "insufficient_balance"
    assert "เกินวงเงินคงเหลือ" in error.value.message_th
    line = _line(project)
    assert (line.committed, line.disbursed) == (Decimal("50000.00"), Decimal("0.00"))
    assert list(project.installments.values_list("status", flat=True)) == ["planned"] * 3
    assert Project.objects.get(pk=project.pk).current_step == "disburse"


def test_reducing_below_what_was_disbursed_is_refused():
    cast = Cast.create()
    project = project_at("progress_report", cast=cast, paid=2)
    with pytest.raises(services.ProjectError) as error:
        services.approved_amount_reduce(
            actor=cast.director, project=project, new_amount=Decimal("179999.99"), reason="ลด"
        )
    assert error.value.code == "below_disbursed"
    assert "180,000.00" in error.value.message_th
    assert Project.objects.get(pk=project.pk).approved_amount == Decimal("270000.00")


def test_reduction_shrinks_and_cancels_the_last_unpaid_installments():
    cast = Cast.create()
    project = project_at("progress_report", cast=cast, paid=1)
    project = services.approved_amount_reduce(
        actor=cast.director, project=project, new_amount=Decimal("130000.00"), reason="ผลงานไม่ถึงเป้า"
    )
    rows = list(Installment.objects.filter(project=project).values_list("number", "amount", "status"))
    assert rows == [
        (1, Decimal("90000.00"), "disbursed"),
        (2, Decimal("40000.00"), "planned"),
        (3, Decimal("90000.00"), "cancelled"),
    ]
    line = _line(project)
    assert (line.committed, line.disbursed) == (Decimal("40000.00"), Decimal("90000.00"))
    assert project.approved_amount == Decimal("130000.00")


def test_reducing_to_what_was_paid_skips_the_payment_step_to_the_final_report():
    cast = Cast.create()
    project = project_at("report_review", cast=cast, paid=1)
    services.approved_amount_reduce(
        actor=cast.director, project=project, new_amount=Decimal("90000.00"), reason="หยุด"
    )
    submitted = project.reports.get()
    services.report_review(actor=cast.officer, report=submitted, decision="accept")
    project = Project.objects.get(pk=project.pk)
    assert (project.status, project.current_step) == ("final_report", "final_report")
    assert project.steps.filter(task_key="disburse", outcome="skipped").count() == 1
    assert _line(project).committed == Decimal("0.00")


def test_fund_returns_are_recorded_and_limited_to_what_was_paid():
    cast = Cast.create()
    project = project_at("progress_report", cast=cast, paid=1)
    services.fund_return_record(
        actor=cast.finance, project=project, amount=Decimal("10000.00"), reason="เหลือจ่าย"
    )
    with pytest.raises(services.ProjectError) as error:
        services.fund_return_record(
            actor=cast.finance, project=project, amount=Decimal("80000.01"), reason="เกิน"
        )
    assert error.value.code == "return_above_paid"
    line = _line(project)
    assert (line.disbursed, line.returned) == (Decimal("90000.00"), Decimal("10000.00"))
    assert line.available == Decimal("10000000.00") - Decimal("180000.00") - Decimal("90000.00") + Decimal(
        "10000.00"
    )


def assert_line_matches_rows(line: BudgetLine) -> None:
    line.refresh_from_db()
    committed = Installment.objects.filter(
        project__budget_line=line, status="planned", project__approved_amount__isnull=False
    ).exclude(project__status__in=["cancelled", "rejected"]).aggregate(t=Sum("amount"))["t"] or Decimal(
        "0.00"
    )
    disbursed = Disbursement.objects.filter(budget_line=line).aggregate(t=Sum("amount"))["t"] or Decimal(
        "0.00"
    )
    returned = FundReturn.objects.filter(budget_line=line).aggregate(t=Sum("amount"))["t"] or Decimal("0.00")
    assert (line.committed, line.disbursed, line.returned) == (committed, disbursed, returned)
    for value in (line.allocated, line.committed, line.disbursed, line.returned, line.available):
        assert value >= 0
    for project in Project.objects.filter(budget_line=line, approved_amount__isnull=False):
        live = project.installments.exclude(status="cancelled").aggregate(t=Sum("amount"))["t"] or Decimal(
            "0.00"
        )
        if project.status != "cancelled":
            assert live == project.approved_amount


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["approve", "disburse", "return", "cancel", "reduce", "allocate"]),
        st.integers(min_value=0, max_value=2),  # which project
        st.integers(min_value=1, max_value=400),  # an amount in thousands of baht
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_no_sequence_of_actions_breaks_a_budget_line(actions):
    # given three projects waiting for approval on one small budget line
    cast = Cast.create()
    program = ProgramFactory()
    projects = [project_at("approval", cast=cast, program=program) for _ in range(3)]
    line = _line(projects[0])
    services.budget_line_allocate(
        actor=cast.admin,
        program=program,
        region_code="northeast",
        fiscal_year=2569,
        amount=Decimal("500000.00"),
    )
    # when any sequence of actions is tried (refusals are fine)
    for action, index, thousands in actions:
        project = Project.objects.get(pk=projects[index].pk)
        amount = Decimal(thousands * 1000).quantize(Decimal("0.01"))
        try:
            if action == "approve":
                approved = min(amount, project.requested_amount)
                half = (approved / 2).quantize(Decimal("0.01"))
                services.project_approve(
                    actor=cast.director,
                    project=project,
                    decision="approve",
                    approved_amount=approved,
                    reduction_reason="ลด",
                    installments=[services.InstallmentPlan(half), services.InstallmentPlan(approved - half)],
                )
                services.project_agreement_sign(actor=cast.officer, project=project)
            elif action == "disburse":
                if project.current_step == "progress_report":
                    submitted = report(project, cast)
                    services.report_review(actor=cast.officer, report=submitted, decision="accept")
                disburse(project, cast)
            elif action == "return":
                services.fund_return_record(
                    actor=cast.finance, project=project, amount=amount / 10, reason="คืน"
                )
            elif action == "cancel":
                services.project_cancel(actor=cast.director, project=project, reason="ยกเลิก")
            elif action == "reduce":
                target = (project.approved_amount or Decimal("0.00")) - amount / 10
                services.approved_amount_reduce(
                    actor=cast.director, project=project, new_amount=target, reason="ลด"
                )
            else:
                services.budget_line_allocate(
                    actor=cast.admin,
                    program=program,
                    region_code="northeast",
                    fiscal_year=2569,
                    amount=amount * 2,
                )
        except services.ProjectError:
            pass
        # then the line is never negative and its totals equal the sums of its rows
        assert_line_matches_rows(line)
