"""NPL history: month-end snapshots by province, idempotent per month, read in the user's scope."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from codi.core.models import AuditEntry
from codi.lending import history, services
from codi.lending.models import Instalment
from codi.lending.models_reports import NplSnapshot
from codi.lending.selectors import portfolio
from codi.lending.tasks import npl_snapshot_task
from tests.lending.conftest import make_user
from tests.lending.test_portfolio import book  # noqa: F401  (fixture: loans A-D)
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db
D = Decimal
APRIL, JUNE = date(2025, 4, 30), date(2025, 6, 30)


def test_snapshots_by_hand_idempotent_and_scoped(book, people, capsys):  # noqa: F811
    assert history.last_closed_month_end(date(2025, 1, 15)) == date(2024, 12, 31)
    # 30 April: only C (Songkhla, due 1 Mar unpaid → 60 days, PAR30) and D (Bangkok, instalment 1 due
    # 20 Apr paid → current, 8,000 out) were disbursed. Total 38,000; PAR30 30,000; NPL 0.
    april = history.snapshot_take(month_end=date(2025, 4, 10))  # any day of the month: its end
    assert (april.month_end, april.provinces, april.loans, april.created) == (APRIL, 2, 2, True)
    rows = {r.province_code: r for r in NplSnapshot.objects.filter(month_end=APRIL)}
    assert (rows["90"].outstanding, rows["90"].par30_outstanding, rows["90"].npl_outstanding) == (
        D("30000.00"), D("30000.00"), D("0.00")
    )  # fmt: skip
    assert (rows["10"].outstanding, rows["10"].par30_outstanding) == (D("8000.00"), D("0.00"))
    # 30 June: A 8,000 current, B 24,000 20 days, C 30,000 121 days (NPL), D 8,000 41 days (PAR30).
    # NPL 30,000 / 70,000 = 42.857 → 42.86 %; PAR30 38,000 / 70,000 = 54.286 → 54.29 %.
    assert history.snapshot_take(month_end=JUNE).created
    assert npl_snapshot_task.call("2025-05-31") == "2025-05-31"
    country = history.npl_history(actor=people["auditor"])
    assert [m.month_end for m in country] == [APRIL, date(2025, 5, 31), JUNE]
    assert (country[0].npl, country[0].par30, country[0].outstanding) == (
        D("0.00"),
        D("78.95"),
        D("38000.00"),
    )
    assert (country[2].npl, country[2].par30, country[2].outstanding) == (
        D("42.86"),
        D("54.29"),
        D("70000.00"),
    )
    live = portfolio(actor=people["auditor"], as_of=JUNE).total  # the same rule as the portfolio page
    assert (country[2].npl, country[2].par30) == (live.npl_ratio, live.par30_ratio)
    # Scope: the Khon Kaen officer reads A and B only; the south's officer C only.
    # (May was taken by the task, rebuilt as it stood on 31 May: A's first instalment, paid on
    # 1 June, is still owed then, so Khon Kaen had 12,000 + 24,000 out.)
    khon_kaen = history.npl_history(actor=people["officer"])
    assert [(m.month_end, m.npl, m.outstanding) for m in khon_kaen] == [
        (date(2025, 5, 31), D("0.00"), D("36000.00")), (JUNE, D("0.00"), D("32000.00"))
    ]  # fmt: skip
    south = history.npl_history(actor=people["south_officer"])
    assert [(m.month_end, m.npl) for m in south] == [(APRIL, D("0.00")), (date(2025, 5, 31), D("100.00")),
                                                     (JUNE, D("100.00"))]  # fmt: skip
    assert list(south[2].by_region.values()) == [D("100.00")]
    # Idempotent: B repaid after the month's end does not change the month already taken.
    b = book["B"]
    first = Instalment.objects.get(loan=b, n=1, is_current=True)
    services.repayment_record(actor=people["cashier"], loan=b, amount=first.payment, received_on=date(2025, 7, 2),
                              reference="R-late")  # fmt: skip
    again = history.snapshot_take(month_end=JUNE)
    assert not again.created and (again.provinces, again.loans) == (3, 4)
    assert NplSnapshot.objects.get(month_end=JUNE, province_code="40").outstanding == D("32000.00")
    history.snapshot_take(month_end=JUNE, replace=True)  # retaken on purpose: what B repaid is out
    # Paid 22 days late: penalty interest first, then interest, then principal (services' order).
    repaid = Instalment.objects.get(pk=first.pk).principal_paid
    assert D("0") < repaid <= D("8000.00")
    assert NplSnapshot.objects.get(month_end=JUNE, province_code="40").outstanding == D("32000.00") - repaid
    assert NplSnapshot.objects.filter(month_end=JUNE).count() == 3
    assert AuditEntry.objects.filter(action="lending.npl_snapshot_take").count() == 4
    call_command("lending_npl_snapshot", "--month", "2025-05")
    assert "มีอยู่แล้ว" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("lending_npl_snapshot", "--month", "2999-01")


def test_portfolio_page_charts_the_recorded_npl_share_in_scope(book, people):  # noqa: F811
    empty = signed_in_client(people["auditor"]).get("/lending/portfolio/?as_of=2025-07-01").content.decode()
    assert 'id="npl-history-empty"' in empty and 'id="npl-history-chart"' not in empty
    for month_end in (APRIL, JUNE):
        history.snapshot_take(month_end=month_end)
    page = (
        signed_in_client(people["south_officer"]).get("/lending/portfolio/?as_of=2025-07-01").content.decode()
    )
    table = page[page.index('id="npl-history"') :]
    table = table[: table.index("</table>")]
    assert 'id="npl-history-chart"' in page and "100.00" in table and "30,000.00" in table
    assert "70,000.00" not in table  # the country's total is not the south's
    april_only = (
        signed_in_client(people["auditor"]).get("/lending/portfolio/?as_of=2025-05-15").content.decode()
    )
    recorded = april_only[april_only.index('id="npl-history"') :]
    recorded = recorded[: recorded.index("</table>")]
    assert "78.95" in recorded and "42.86" not in recorded  # June is after the date asked for
    from tests.crawl.crawler import ALLOWED_WORDS, page_findings

    usernames = {u.username for u in people.values()}
    assert page_findings("/lending/portfolio/", page, usernames=usernames, allowed=ALLOWED_WORDS) == []
    export = signed_in_client(people["south_officer"]).get("/lending/portfolio/?as_of=2025-07-01&format=xlsx")
    book_ = load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True)
    assert [list(r) for r in book_["ประวัติรายเดือน"].iter_rows(values_only=True)][1:] == [
        ["30/4/2568", "0.00", "100.00", "30000.00"], ["30/6/2568", "100.00", "100.00", "30000.00"]
    ]  # fmt: skip
    outsider = make_user("hr_officer")
    assert signed_in_client(outsider).get("/lending/portfolio/").status_code == 403
