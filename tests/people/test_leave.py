from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from codi.people import leave, selectors
from codi.people.models import LeaveBalance, LeaveRequest, LeaveStatus, LeaveType


@pytest.fixture
def vacation(db):
    return LeaveType.objects.get(code="vacation")


def test_seeded_leave_types_follow_the_rules(db):
    rows = {t.code: t for t in LeaveType.objects.all()}
    assert {"sick", "personal", "vacation", "maternity", "ordination"} <= rows.keys()
    assert rows["vacation"].max_carry_over == 10 and rows["vacation"].max_balance == 20
    assert rows["maternity"].counts_calendar_days and rows["maternity"].days_per_year == 98


def test_days_exclude_weekends_and_public_holidays(holidays_2026, vacation):
    # Mon 7 Dec 2026 (Father's Day in lieu) to Fri 11 Dec: 7 and 10 (Constitution Day) are holidays → 3
    assert leave.count_days(vacation, date(2026, 12, 7), date(2026, 12, 11)) == 3
    # Fri 4 to Mon 14 Dec: 4, 8, 9, 11, 14 → 5 (weekends, 7 and 10 excluded)
    assert leave.count_days(vacation, date(2026, 12, 4), date(2026, 12, 14)) == 5
    maternity = LeaveType.objects.get(code="maternity")
    assert leave.count_days(maternity, date(2026, 12, 4), date(2026, 12, 14)) == 11


def test_request_approve_record_moves_the_balance(staff, holidays_2026, vacation):
    north, head = staff["north"], staff["head"]
    request = leave.leave_request_create(
        actor=north.user,
        employee=north,
        leave_type=vacation,
        start_date=date(2026, 12, 7),
        end_date=date(2026, 12, 11),
    )
    assert (request.status, request.days, request.fiscal_year) == (LeaveStatus.SUPERVISOR, 3, 2570)
    balance = LeaveBalance.objects.get(employee=north, leave_type=vacation, fiscal_year=2570)
    assert (balance.pending, balance.available) == (3, 7)
    assert list(selectors.leave_inbox(actor=head.user)) == [request]
    with pytest.raises(PermissionDenied):  # HR cannot take the supervisor's step
        leave.leave_decide(actor=staff["hr_all"], request=request, decision="approve")
    request = leave.leave_decide(actor=head.user, request=request, decision="approve")
    assert request.status == LeaveStatus.HR
    assert leave.leave_diagram(request)["current"] == ["hr"]
    with pytest.raises(PermissionDenied):  # an HR officer of another unit
        south_hr = staff["hr_north"]
        south_hr.org_unit = staff["south"].org_unit
        leave.leave_decide(actor=south_hr, request=request, decision="approve")
    request = leave.leave_decide(actor=staff["hr_all"], request=request, decision="approve")
    assert request.status == LeaveStatus.APPROVED
    balance.refresh_from_db()
    assert (balance.used, balance.pending, balance.available) == (3, 0, 7)
    assert set(leave.leave_diagram(request)["completed"]) >= {"supervisor", "hr", "end_approved"}


def test_rejection_gives_the_days_back_and_needs_a_reason(staff, holidays_2026, vacation):
    north, head = staff["north"], staff["head"]
    request = leave.leave_request_create(
        actor=north.user,
        employee=north,
        leave_type=vacation,
        start_date=date(2027, 1, 4),
        end_date=date(2027, 1, 5),
    )
    with pytest.raises(leave.PeopleError):
        leave.leave_decide(actor=head.user, request=request, decision="reject")
    request = leave.leave_decide(actor=head.user, request=request, decision="reject", comment="งานเร่งด่วน")
    assert request.status == LeaveStatus.REJECTED
    assert LeaveBalance.objects.get(employee=north, leave_type=vacation, fiscal_year=2570).pending == 0


def test_overlap_and_over_balance_are_refused_with_a_clear_message(staff, holidays_2026, vacation):
    north = staff["north"]
    leave.leave_request_create(
        actor=north.user,
        employee=north,
        leave_type=vacation,
        start_date=date(2027, 1, 4),
        end_date=date(2027, 1, 8),
    )
    with pytest.raises(leave.PeopleError) as caught:
        leave.leave_request_create(
            actor=north.user,
            employee=north,
            leave_type=vacation,
            start_date=date(2027, 1, 8),
            end_date=date(2027, 1, 8),
        )
    assert "ซ้อน" in caught.value.message_th and "overlap" in caught.value.message_en
    with pytest.raises(leave.PeopleError) as caught:  # 5 used, 5 left: 6 working days asked
        leave.leave_request_create(
            actor=north.user,
            employee=north,
            leave_type=vacation,
            start_date=date(2027, 2, 1),
            end_date=date(2027, 2, 8),
        )
    assert "5" in caught.value.message_th and "not enough" in caught.value.message_en
    assert LeaveRequest.objects.filter(employee=north).count() == 1
    sick = LeaveType.objects.get(code="sick")  # sick leave may go beyond the balance
    assert (
        leave.leave_request_create(
            actor=north.user,
            employee=north,
            leave_type=sick,
            start_date=date(2027, 2, 1),
            end_date=date(2027, 2, 8),
        ).days
        == 6
    )


def test_someone_else_cannot_ask_leave_for_an_employee(staff, holidays_2026, vacation):
    with pytest.raises(PermissionDenied):
        leave.leave_request_create(
            actor=staff["south"].user, employee=staff["north"], leave_type=vacation,
            start_date=date(2027, 1, 4), end_date=date(2027, 1, 4),
        )  # fmt: skip


def test_weekend_only_and_cross_year_requests_are_refused(staff, holidays_2026, vacation):
    north = staff["north"]
    with pytest.raises(leave.PeopleError, match="ไม่มีวันทำการ"):
        leave.leave_request_create(
            actor=north.user,
            employee=north,
            leave_type=vacation,
            start_date=date(2026, 12, 12),
            end_date=date(2026, 12, 13),
        )
    with pytest.raises(leave.PeopleError):
        leave.leave_request_create(
            actor=north.user,
            employee=north,
            leave_type=vacation,
            start_date=date(2027, 9, 29),
            end_date=date(2027, 10, 1),
        )


def test_vacation_carries_over_at_most_ten_days(staff, vacation):
    north = staff["north"]
    LeaveBalance.objects.create(
        employee=north, leave_type=vacation, fiscal_year=2569, entitled=10, carried_over=10, used=2
    )
    balance = leave.balance_ensure(employee=north, leave_type=vacation, fiscal_year=2570)
    # 18 left last year, at most 10 carried, and the year's total at most 20 (10 + 10)
    assert (balance.entitled, balance.carried_over) == (Decimal("10"), Decimal("10"))


def test_a_unit_heads_leave_goes_to_the_head_above(staff, org, holidays_2026, vacation):
    from tests.people.conftest import hire, make_user

    top = hire(org["hq"], user=make_user(), head=True, salary="90000.00")
    head = staff["head"]
    request = leave.leave_request_create(
        actor=head.user,
        employee=head,
        leave_type=vacation,
        start_date=date(2027, 1, 4),
        end_date=date(2027, 1, 4),
    )
    assert list(selectors.leave_inbox(actor=head.user)) == []
    assert list(selectors.leave_inbox(actor=top.user)) == [request]
    assert selectors.leave_get(actor=top.user, request_id=request.pk) == request
    assert leave.leave_decide(actor=top.user, request=request, decision="approve").status == LeaveStatus.HR
