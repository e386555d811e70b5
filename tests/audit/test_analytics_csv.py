"""The analytics shell form: each rule with planted positives and near-miss negatives, bad input refused."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from codi.audit import analytics
from codi.audit.analytics import AnalyticsError, Dataset

HEADER = ",".join(analytics.COLUMNS)


def _csv(*rows: str) -> str:
    return HEADER + "\n" + "\n".join(rows) + "\n"


def row(
    pid: str, tax: str = "0105551000001", inv: str = "", amount: str = "1000.00", cat: str = "supplies",
    unit: str = "HQ", req: str = "", appr: str = "", insp: str = "", paid: str = "",
) -> str:  # fmt: skip
    return f"{pid},{tax},Vendor {tax[-2:]},{inv},{amount},{cat},{unit},{req},{appr},{insp},{paid}"


def run(text: str, *names: str, **params: dict[str, object]) -> list[analytics.Flag]:
    payments = analytics.read_payments(io.StringIO(text))
    rules = analytics.resolve_rules(names or analytics.SHELL_RULES)
    return analytics.run_rules(Dataset(payments=payments), rules, params)


def by_rule(flags: list[analytics.Flag], rule: str) -> dict[str, str]:
    return {f.payment_id: f.group_id for f in flags if f.rule == rule}


# --- duplicate_payment ----------------------------------------------------------------------------


def test_duplicate_same_invoice_flags_every_payment_of_the_group():
    flags = run(
        _csv(
            row("P1", inv="INV-7", amount="5000", paid="2026-01-05"),
            row("P2", inv="inv-7", amount="5100", paid="2026-03-30"),  # same invoice, months later
            row("P3", inv="INV-7", amount="4000", paid="2026-06-01"),
            row("P4", tax="0105551000002", inv="INV-7", amount="5000", paid="2026-01-05"),  # other vendor
        ),
        "duplicate_payment",
    )
    dup = by_rule(flags, "duplicate_payment")
    assert set(dup) == {"P1", "P2", "P3"}
    assert len(set(dup.values())) == 1
    assert "invoice INV-7" in flags[0].reason


def test_duplicate_same_amount_within_14_days_but_not_15():
    flags = run(
        _csv(
            row("A1", inv="X1", amount="12000.00", paid="2026-02-01"),
            row("A2", inv="X2", amount="12000.00", paid="2026-02-15T09:30:00"),  # 14 days: duplicate
            row("B1", inv="Y1", amount="8000.00", paid="2026-02-01"),
            row("B2", inv="Y2", amount="8000.00", paid="2026-02-16"),  # 15 days: not a duplicate
            row("C1", inv="Z1", amount="7000.00", paid="2026-02-01"),
            row("C2", inv="Z2", amount="7000.01", paid="2026-02-02"),  # one satang more: not
            row("D1", inv="W1", amount="9000.00", paid=""),  # not paid yet: not
            row("D2", inv="W2", amount="9000.00", paid="2026-02-02"),
        ),
        "duplicate_payment",
    )
    dup = by_rule(flags, "duplicate_payment")
    assert set(dup) == {"A1", "A2"}


def test_duplicate_groups_chain_and_stay_apart():
    flags = run(
        _csv(
            row("G1", inv="1", amount="500", paid="2026-04-01"),
            row("G2", inv="2", amount="500", paid="2026-04-10"),
            row("G3", inv="3", amount="500", paid="2026-04-20"),  # 10 days after G2: same group
            row("H1", tax="0105551000009", inv="9", amount="700", paid="2026-04-01"),
            row("H2", tax="0105551000009", inv="9", amount="800", paid="2026-09-01"),
        ),
        "duplicate_payment",
    )
    dup = by_rule(flags, "duplicate_payment")
    assert set(dup) == {"G1", "G2", "G3", "H1", "H2"}
    assert dup["G1"] == dup["G2"] == dup["G3"] != dup["H1"] == dup["H2"]


# --- split_purchase -------------------------------------------------------------------------------


def test_split_purchase_within_30_days_each_below_together_above():
    flags = run(
        _csv(
            row("S1", amount="200000", req="2026-01-01"),
            row("S2", amount="200000", req="2026-01-15"),
            row("S3", amount="150000", req="2026-01-30"),  # 29 days after S1: within the window
            # near misses: 30 days apart, another unit, another category, one at the threshold
            row("N1", tax="0105551000003", amount="300000", req="2026-01-01"),
            row("N2", tax="0105551000003", amount="300000", req="2026-01-31"),
            row("U1", tax="0105551000004", amount="300000", req="2026-01-01", unit="North"),
            row("U2", tax="0105551000004", amount="300000", req="2026-01-02", unit="South"),
            row("C1", tax="0105551000005", amount="300000", req="2026-01-01", cat="services"),
            row("C2", tax="0105551000005", amount="300000", req="2026-01-02", cat="works"),
            row("T1", tax="0105551000006", amount="500000", req="2026-01-01"),
            row("T2", tax="0105551000006", amount="100", req="2026-01-02"),
            # together exactly at the threshold is not above it
            row("E1", tax="0105551000007", amount="250000", req="2026-01-01"),
            row("E2", tax="0105551000007", amount="250000", req="2026-01-02"),
        ),
        "split_purchase",
    )
    split = by_rule(flags, "split_purchase")
    assert set(split) == {"S1", "S2", "S3"}
    assert len(set(split.values())) == 1


def test_split_threshold_parameter_and_range():
    text = _csv(row("E1", amount="250000", req="2026-01-01"), row("E2", amount="250000", req="2026-01-02"))
    flags = run(text, "split_purchase", split_purchase={"threshold": "400000"})
    assert set(by_rule(flags, "split_purchase")) == {"E1", "E2"}
    for bad in ("0", "-5", "abc", "2000000000"):
        with pytest.raises(AnalyticsError, match="threshold"):
            run(text, "split_purchase", split_purchase={"threshold": bad})


# --- paid before approval / inspection --------------------------------------------------------------


def test_paid_before_approval_and_inspection():
    flags = run(
        _csv(
            row("Q1", appr="2026-03-10T10:00:00", paid="2026-03-09T16:00:00"),  # before approval
            row("Q2", appr="2026-03-10T10:00:00", paid="2026-03-10T10:00:00"),  # same instant: no
            row("Q3", appr="2026-03-10T15:00:00", paid="2026-03-10"),  # same day, date only: no
            row("Q4", appr="", paid="2026-03-01"),  # no approval time: no
            row("R1", insp="2026-03-12", paid="2026-03-11T23:59:00"),  # before inspection
            row("R2", insp="2026-03-12", paid="2026-03-12T08:00:00"),  # same day: no
            row("R3", insp="2026-03-12T09:00:00+07:00", paid="2026-03-12T01:00:00Z"),  # 08:00 local: before
        ),
        "paid_before_approval", "paid_before_inspection",
    )  # fmt: skip
    assert set(by_rule(flags, "paid_before_approval")) == {"Q1"}
    assert set(by_rule(flags, "paid_before_inspection")) == {"R1", "R3"}


# --- further rules -----------------------------------------------------------------------------------


def test_round_amount_weekend_gap_rules():
    text = _csv(
        row("PV-0001", amount="150000.00", paid="2026-03-02"),  # round, Monday
        row("PV-0002", amount="150000.50", paid="2026-03-07"),  # not round, Saturday
        row("PV-0005", amount="90000", paid="2026-03-03"),  # round but below the minimum; gap 3-4
    )
    payments = analytics.read_payments(io.StringIO(text))
    from datetime import date

    data = Dataset(payments=payments, holidays=frozenset({date(2026, 3, 3)}))
    flags = analytics.run_rules(
        data, analytics.resolve_rules(["round_amount", "weekend_holiday", "numbering_gap"])
    )
    assert set(by_rule(flags, "round_amount")) == {"PV-0001"}
    assert set(by_rule(flags, "weekend_holiday")) == {"PV-0002", "PV-0005"}
    gaps = [f for f in flags if f.rule == "numbering_gap"]
    assert [(g.payment_id, "3-4" in g.reason) for g in gaps] == [("PV-0005", True)]


def test_benford_flags_a_vendor_whose_amounts_start_with_nine():
    rows = [row(f"B{i}", amount=f"{9000 + i * 7}.00") for i in range(120)]
    # A vendor following Benford: amounts spread over orders of magnitude.
    rows += [
        row(f"N{i}", tax="0105551000008", unit="North", amount=f"{10 ** (1 + (i % 50) / 12.5):.2f}")
        for i in range(200)
    ]
    flags = run(_csv(*rows), "benford")
    flagged = {f.payment_id for f in flags}
    assert {f"B{i}" for i in range(120)} <= flagged
    assert not any(p.startswith("N") for p in flagged)
    assert "chi2=" in flags[0].reason and "MAD=" in flags[0].reason


def test_chi_square_tail_matches_the_table():
    # 15.507 is the 5 % critical value of chi-square with 8 degrees of freedom.
    assert abs(analytics.chi_square_p(15.507) - 0.05) < 1e-3


def test_vendor_employee_bank_and_payroll_and_pms_rules():
    data = Dataset(
        bank_accounts=[
            analytics.BankAccount("vendor", "7", "ร้านสมชาย", "004", "123-4-56789-0"),
            analytics.BankAccount("employee", "E1", "สมชาย", "004", "1234567890"),
            analytics.BankAccount("employee", "E2", "สมหญิง", "014", "1234567890"),  # other bank: no
        ],
        employee_years=[
            analytics.EmployeeYear("E1", "สมชาย", 2026, Decimal("360000"), 0, 0),
            analytics.EmployeeYear("E2", "สมหญิง", 2026, Decimal("360000"), 0, 3),  # leave only: fine
        ],
        disbursements=[
            analytics.Disbursement("D1", "P-1", Decimal("50000"), None, False),
            analytics.Disbursement("D2", "P-2", Decimal("50000"), None, True),
        ],
    )
    names = ["vendor_employee_bank", "employee_no_attendance", "disbursed_without_report"]
    flags = analytics.run_rules(data, analytics.resolve_rules(names))
    assert set(by_rule(flags, "vendor_employee_bank")) == {"vendor:7", "employee:E1"}
    assert set(by_rule(flags, "employee_no_attendance")) == {"employee:E1"}
    assert set(by_rule(flags, "disbursed_without_report")) == {"D1"}


# --- bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (row("P2", amount="12,50"), "line 3"),  # extra field from an unquoted comma
        (row("P2", amount="abc"), "line 3, column amount"),
        (row("P2", amount="-5"), "line 3, column amount"),
        (row("P2", paid="2026-13-01"), "line 3, column paid_at"),
        (row("P2", req="yesterday"), "line 3, column requested_at"),
        (row("P1"), "line 3, column payment_id"),  # duplicate id
        (row(""), "line 3, column payment_id"),
    ],
)
def test_malformed_row_named_by_line_and_column(line: str, expected: str):
    with pytest.raises(AnalyticsError) as info:
        analytics.read_payments(io.StringIO(_csv(row("P1"), line)))
    assert expected in info.value.message_en
    assert "บรรทัด" in info.value.message_th or "ข้อมูล" in info.value.message_th


def test_missing_column_and_unknown_rule():
    with pytest.raises(AnalyticsError, match="missing column"):
        analytics.read_payments(io.StringIO("payment_id,amount\nP1,5\n"))
    with pytest.raises(AnalyticsError, match="Unknown rule"):
        analytics.resolve_rules(["duplicate_payments"])


# --- the command --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_writes_the_flags_csv(tmp_path: Path):
    source = tmp_path / "payments.csv"
    source.write_text(
        _csv(
            row("P1", inv="INV-1", amount="5000", paid="2026-01-05"),
            row("P2", inv="INV-1", amount="5000", paid="2026-01-06"),
            row("P3", amount="300000", req="2026-01-01", appr="2026-01-10", paid="2026-01-09"),
            row("P4", amount="250000", req="2026-01-02", insp="2026-01-20", paid="2026-01-19"),
        ),
        encoding="utf-8",
    )
    target = tmp_path / "flags.csv"
    call_command("audit_analytics", "--input", str(source), "--output", str(target))
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == ["rule", "payment_id", "group_id", "reason"]
    got = {(r[0], r[1]) for r in rows[1:]}
    assert got == {
        ("duplicate_payment", "P1"), ("duplicate_payment", "P2"),
        ("split_purchase", "P3"), ("split_purchase", "P4"),
        ("paid_before_approval", "P3"), ("paid_before_inspection", "P4"),
    }  # fmt: skip
    dup_groups = {r[2] for r in rows[1:] if r[0] == "duplicate_payment"}
    assert len(dup_groups) == 1 and dup_groups != {""}

    # the threshold flag: above the pair's total, no split
    call_command(
        "audit_analytics", "--input", str(source), "--output", str(target), "--split-threshold", "600000"
    )
    assert not any(r[0] == "split_purchase" for r in csv.reader(target.open(encoding="utf-8")))


@pytest.mark.django_db
def test_command_bad_input_writes_nothing(tmp_path: Path):
    source = tmp_path / "payments.csv"
    source.write_text(_csv(row("P1"), row("P2", amount="1.234")), encoding="utf-8")
    target = tmp_path / "flags.csv"
    with pytest.raises(CommandError, match="line 3, column amount"):
        call_command("audit_analytics", "--input", str(source), "--output", str(target))
    assert not target.exists()
    with pytest.raises(CommandError, match="Unknown rule"):
        call_command("audit_analytics", "--input", str(source), "--output", str(target), "--rules", "nope")
    with pytest.raises(CommandError, match="out of range"):
        call_command(
            "audit_analytics", "--input", str(source), "--output", str(target), "--split-threshold", "0"
        )
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]
