"""The nightly analytics run kept on schedule in the task queue: queued once, run by the worker,
which queues the next night's."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from codi.audit.models import AnalyticsRun
from codi.audit.tasks import analytics_run_task, analytics_schedule

pytestmark = pytest.mark.django_db
PATH = "codi.audit.tasks.analytics_run_task"


def test_the_nightly_analytics_run_is_kept_on_schedule(capsys):
    now = timezone.make_aware(datetime(2026, 3, 14, 15, 0))
    when = analytics_schedule(now)
    assert timezone.localtime(when) == timezone.make_aware(datetime(2026, 3, 15, 1, 0))
    assert analytics_schedule(now) == when  # not queued twice
    waiting = DBTaskResult.objects.get(task_path=PATH)
    assert waiting.status == "READY"
    # Its night comes: the worker runs every rule (trigger "scheduled") and queues the next night.
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=now)
    # What the worker (codi.core task_worker) does with a ready task: load it and call it with its arguments.
    stored = DBTaskResult.objects.ready().get(pk=waiting.pk)
    returned = stored.task.call(*stored.task_result.args, **stored.task_result.kwargs)
    stored.set_successful(returned)
    assert DBTaskResult.objects.get(pk=waiting.pk).status == "SUCCESSFUL"
    assert AnalyticsRun.objects.filter(trigger=AnalyticsRun.Trigger.SCHEDULED).count() == 1
    following = DBTaskResult.objects.filter(task_path=PATH, status="READY")
    assert following.count() == 1 and following.get().run_after > timezone.now()
    assert analytics_run_task.call() == 0  # an on-demand call queues nothing more
    assert DBTaskResult.objects.filter(task_path=PATH, status="READY").count() == 1
    call_command("audit_run", "--schedule")
    assert "next scheduled run" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(task_path=PATH, status="READY").count() == 1
