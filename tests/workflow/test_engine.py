"""The generic BPMN runner on the finance voucher process, and the working-day calendar."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from codi.finance.vouchers import ASIS_FILE, TOBE_FILE
from codi.workflow import calendar
from codi.workflow.engine import Process, StepError

BKK = ZoneInfo("Asia/Bangkok")


@pytest.fixture(scope="module")
def process() -> Process:
    return Process(TOBE_FILE, "codi_voucher_tobe")


def _through_json(state: dict) -> dict:
    return json.loads(json.dumps(state))


def test_state_survives_json_and_gateways_route_by_amount(process):
    small = process.start()
    assert small.ready == ["prepare"] and small.ended is None
    state = process.complete(_through_json(small.state), task="prepare", data={}).state
    routed = process.complete(
        _through_json(state),
        task="check",
        data={"check_decision": "pass", "amount_satang": 500, "approval_limit_satang": 1000},
    )
    assert routed.ready == ["pay"]
    big = process.complete(
        _through_json(state),
        task="check",
        data={"check_decision": "pass", "amount_satang": 5000, "approval_limit_satang": 1000},
    )
    assert big.ready == ["approve"]
    done = process.complete(big.state, task="approve", data={"approve_decision": "reject"})
    assert (done.ready, done.ended) == ([], "end_rejected")


def test_completing_a_step_that_is_not_ready_is_refused(process):
    state = process.start().state
    with pytest.raises(StepError) as error:
        process.complete(state, task="approve", data={})
    assert error.value.current == ["prepare"]


def test_diagram_state_names_current_and_completed_elements(process):
    state = process.complete(process.start().state, task="prepare", data={}).state
    diagram = process.diagram(state)
    assert diagram["current"] == ["check"]
    assert diagram["completed"] == ["start", "prepare"]
    assert set(diagram["completed"]) <= process.element_ids
    assert {"end_paid", "end_rejected"} == process.end_event_ids


def test_the_as_is_process_is_a_drawable_non_executable_diagram():
    from xml.etree import ElementTree

    root = ElementTree.parse(ASIS_FILE).getroot()  # noqa: S314 — our own committed file
    bpmn = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    process = root.find(f"{bpmn}process")
    assert process is not None and process.get("isExecutable") == "false"
    tasks = {t.get("id") for t in process.findall(f"{bpmn}task")}
    assert tasks == {"paper_voucher", "unit_sign", "finance_check", "director_sign", "cheque", "accpac"}
    shapes = {s.get("bpmnElement") for s in root.iter("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape")}
    assert tasks <= shapes


@pytest.mark.django_db
def test_due_dates_skip_weekends_and_holidays():
    from codi.calendar.models import Holiday

    friday = datetime(2026, 12, 4, 10, 0, tzinfo=BKK)
    assert calendar.due_date(friday, 1) == date(2026, 12, 7)
    Holiday.objects.create(date=date(2026, 12, 7), name="วันหยุดชดเชย")
    assert calendar.due_date(friday, 1) == date(2026, 12, 8)
    assert calendar.due_date(friday, 3) == date(2026, 12, 10)
