"""Numbers under concurrency: real parallel transactions on PostgreSQL (no test transaction here)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from codi.correspondence import services
from codi.correspondence.models import RunningNumber
from codi.identity.models import OrgUnit


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
def test_concurrent_allocations_never_share_a_number(django_db_setup, django_db_blocker):
    # given a unit committed outside the test transaction, and eight clerks at once
    with django_db_blocker.unblock():
        org_unit = OrgUnit.objects.using("default").create(code="CONCURRENT-1", name_th="หน่วยทดสอบ")
    numbers: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def allocate() -> None:
        try:
            start.wait()
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(
                        services.number_allocate(org_unit=org_unit, kind="outgoing", on=date.today())[1]
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    # when they allocate numbers in parallel
    with django_db_blocker.unblock():
        threads = [threading.Thread(target=allocate) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        try:
            # then forty allocations gave forty different numbers, 1..40
            assert errors == []
            assert sorted(numbers) == list(range(1, 41))
        finally:
            RunningNumber.objects.filter(org_unit=org_unit).delete()
            org_unit.delete()
