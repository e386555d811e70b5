"""NPL history back-fill: past month ends rebuilt from the dated repayments, exact or not written;
the month-start snapshot kept on schedule in the task queue."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from codi.core.models import AuditEntry
from codi.lending import backfill, history, services
from codi.lending.models import Instalment
from codi.lending.models_reports import NplSnapshot
from codi.lending.tasks import npl_snapshot_schedule, npl_snapshot_task
from tests.lending.test_portfolio import book  # noqa: F401  (fixture: loans A-D)

pytestmark = pytest.mark.django_db
D = Decimal
APRIL, MAY, JUNE = date(2025, 4, 30), date(2025, 5, 31), date(2025, 6, 30)
FIELDS = ("loans", "outstanding", "par30_outstanding", "npl_outstanding")


def _rows(month_end):
    return {
        r.province_code: {f: getattr(r, f) for f in FIELDS}
        for r in NplSnapshot.objects.filter(month_end=month_end)
    }


def _live(month_end):
    return {province: dict(f) for (province, _region), f in history._by_province(month_end).items()}


def test_backfill_equals_the_live_rule_and_ignores_later_payments(book, people, capsys):  # noqa: F811
    # Every payment of loans A-D was made on its due date, before 1 July: at each month end the book
    # as it stands now is the book as it stood then, so the rebuilt month equals the live rule's figures.
    result = backfill.snapshot_backfill(until=date(2025, 6, 15), months=3, actor=people["auditor"])
    assert [(m.month_end, m.state, m.loans) for m in result] == [
        (APRIL, "created", 2), (MAY, "created", 4), (JUNE, "created", 4)
    ]  # fmt: skip
    for end in (APRIL, JUNE):
        assert _rows(end) == _live(end)
    # 31 May: A (12,000 from 1 May) paid its first instalment on 1 June. Read now, the live rule
    # counts that payment (32,000 in Khon Kaen); the back-fill has the month as it stood: 36,000.
    assert _rows(MAY)["40"]["outstanding"] == D("36000.00")
    assert _live(MAY)["40"]["outstanding"] == D("32000.00")
    # 30 June by hand: A 8,000 current; B 24,000 (due 10 Jun, 20 days); C 30,000 (due 1 Mar, 121 days,
    # NPL); D 8,000 (instalment 2 due 20 May, 41 days, PAR30). Khon Kaen (40): 32,000, no PAR30.
    june = _rows(JUNE)
    assert june["90"] == {"loans": 1, "outstanding": D("30000.00"), "par30_outstanding": D("30000.00"),
                                     "npl_outstanding": D("30000.00")}  # fmt: skip
    assert june["10"]["par30_outstanding"] == D("8000.00")
    assert june["40"]["outstanding"] == D("32000.00")
    # 31 May: C due 1 Mar → 91 days (NPL); D instalment 2 due 20 May → 11 days; A and B nothing due yet.
    assert _rows(MAY)["90"]["npl_outstanding"] == D("30000.00")
    assert _rows(MAY)["10"]["par30_outstanding"] == D("0.00")
    # B repays its first instalment on 2 July. Retaking June by the live rule would count it; the
    # back-fill does not: the month is rebuilt as it stood on 30 June.
    b = book["B"]
    first = Instalment.objects.get(loan=b, n=1, is_current=True)
    services.repayment_record(actor=people["cashier"], loan=b, amount=first.payment, received_on=date(2025, 7, 2),
                              reference="R-late")  # fmt: skip
    again = backfill.snapshot_backfill(until=JUNE, months=1, replace=True)
    assert [(m.state, m.loans) for m in again] == [("created", 4)]
    assert _rows(JUNE)["40"]["outstanding"] == D("32000.00")
    assert _live(JUNE)["40"]["outstanding"] < D("32000.00")
    # A month already taken is kept unless replace is asked for.
    assert [m.state for m in backfill.snapshot_backfill(until=JUNE, months=2)] == ["kept", "kept"]
    assert AuditEntry.objects.filter(action="lending.npl_snapshot_backfill").count() == 4
    # The command prints each month.
    call_command("lending_npl_snapshot", "--backfill", "3", "--month", "2025-06")
    out = capsys.readouterr().out
    assert out.count("มีอยู่แล้ว") == 3 and "2025-04-30" in out


def test_a_month_with_a_loan_that_cannot_be_rebuilt_is_not_written(book, people):  # noqa: F811
    # A pays part of its principal ahead on 15 June: the schedule is re-spread (a second version), so
    # its state before that cannot be rebuilt from the current instalments. Months when A was not
    # yet disbursed (April) are still exact.
    a = book["A"]
    services.repayment_record(actor=people["cashier"], loan=a, amount="2000", received_on=date(2025, 6, 15),
                              reference="PRE-1", prepay=True)  # fmt: skip
    result = backfill.snapshot_backfill(until=JUNE, months=3)
    assert [(m.month_end, m.state) for m in result] == [
        (APRIL, "created"),
        (MAY, "inexact"),
        (JUNE, "inexact"),
    ]
    assert result[1].inexact == (a.number,)
    assert set(NplSnapshot.objects.values_list("month_end", flat=True)) == {APRIL}
    with pytest.raises(ValueError):
        backfill.snapshot_backfill(until=JUNE, months=0)


def test_the_month_start_snapshot_is_kept_on_schedule_in_the_task_queue(db):
    now = timezone.make_aware(datetime(2025, 7, 15, 9, 30))
    when = npl_snapshot_schedule(now)
    assert timezone.localtime(when) == timezone.make_aware(datetime(2025, 8, 1, 2, 0))
    assert npl_snapshot_schedule(now) == when  # not queued twice
    waiting = DBTaskResult.objects.get(task_path="codi.lending.tasks.npl_snapshot_task")
    assert waiting.status == "READY" and waiting.run_after == when
    # Its time comes: the worker takes the snapshot and the task queues the next month's run.
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=now)
    # What the worker (codi.core task_worker) does with a ready task: load it and call it with its arguments.
    stored = DBTaskResult.objects.ready().get(pk=waiting.pk)
    returned = stored.task.call(*stored.task_result.args, **stored.task_result.kwargs)
    stored.set_successful(returned)
    done = DBTaskResult.objects.get(pk=waiting.pk)
    last = history.last_closed_month_end(timezone.localdate())
    assert (done.status, done.return_value) == ("SUCCESSFUL", last.isoformat())
    assert NplSnapshot.objects.filter(month_end=last).count() == 0  # no loans: the month is taken, empty
    following = DBTaskResult.objects.filter(task_path=waiting.task_path, status="READY")
    assert [timezone.localtime(r.run_after).day for r in following] == [1]
    assert npl_snapshot_task.call("2025-05-31") == "2025-05-31"  # a catch-up run queues nothing more
    assert DBTaskResult.objects.filter(task_path=waiting.task_path, status="READY").count() == 1
