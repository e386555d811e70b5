"""A small generic runner for executable ``.bpmn`` files (SpiffWorkflow 3).

A module describes its process once (``Process(path, process_id)``) and keeps the engine state
in a JSON field of its own row: ``start()`` returns the first state, ``complete(state, ...)``
runs one ready user task and the gateways after it and returns the new state. The state is
the serializer's dict without the process spec (the same for every instance; it is put back on
load), so a row holds only what differs. Nothing here touches the database, commits or checks
permissions: callers hold the row lock and the transaction.

SpiffWorkflow is imported inside functions only: it is heavy and pages must not load it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from uuid import UUID

logging.getLogger("spiff").setLevel(logging.WARNING)


class StepError(Exception):
    """The instance is not at the step the caller tried to complete."""

    def __init__(self, expected: str, current: list[str]) -> None:
        super().__init__(f"not at step {expected!r} (now at {current!r})")
        self.expected = expected
        self.current = current


@dataclass(frozen=True)
class Transition:
    """What a start or a completion did: the new state, the ready user tasks, the end reached."""

    state: dict[str, Any]
    ready: list[str]
    ended: str | None


class Process:
    """One executable BPMN process, parsed once."""

    def __init__(self, path: Path, process_id: str) -> None:
        self.path = path
        self.process_id = process_id

    @cached_property
    def spec(self) -> Any:
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.bpmn.parser import BpmnParser

        parser = BpmnParser()
        parser.add_bpmn_file(str(self.path))
        return parser.get_spec(self.process_id)

    @cached_property
    def xml(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @cached_property
    def element_ids(self) -> frozenset[str]:
        """Ids of the BPMN elements (what the diagram can light)."""
        return frozenset(
            name for name, task in self.spec.task_specs.items() if getattr(task, "bpmn_id", None) == name
        )

    @cached_property
    def end_event_ids(self) -> frozenset[str]:
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent

        return frozenset(name for name, task in self.spec.task_specs.items() if isinstance(task, EndEvent))

    # --- state ------------------------------------------------------------------------------

    @cached_property
    def _serializer(self) -> Any:
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

        return BpmnWorkflowSerializer()

    @cached_property
    def _converter(self) -> Any:
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

        registry = self._serializer.registry
        # The registry holds partial(_obj_from_dict, converter.from_dict) per type name.
        return registry.convert_from_dict[registry.typenames[BpmnWorkflow]].args[0].__self__

    def dump(self, workflow: Any) -> dict[str, Any]:
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.bpmn.serializer.default.workflow import WorkflowConverter

        converter = self._converter
        state: dict[str, Any] = WorkflowConverter.to_dict(converter, workflow)
        state["subprocess_specs"] = {}
        state["subprocesses"] = {}
        state["bpmn_events"] = converter.registry.convert(workflow.bpmn_events)
        state["typename"] = converter.registry.typenames[type(workflow)]
        state["serializer_version"] = self._serializer.VERSION
        return state

    def load(self, state: dict[str, Any]) -> Any:
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

        converter = self._converter
        dct = dict(state)
        workflow = BpmnWorkflow(self.spec, {}, deserializing=True)
        workflow.tasks = converter.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        converter.set_default_attributes(workflow, dct)
        workflow.bpmn_events = converter.registry.restore(dct.pop("bpmn_events", []))
        return workflow

    # --- running ----------------------------------------------------------------------------

    @staticmethod
    def _ready(workflow: Any) -> list[Any]:
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.util.task import TaskState

        return list(workflow.get_tasks(state=TaskState.READY, manual=True))

    def _ended(self, workflow: Any) -> str | None:
        if not workflow.is_completed():
            return None
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.util.task import TaskState

        ends = [
            t.task_spec.name
            for t in workflow.get_tasks(state=TaskState.COMPLETED)
            if t.task_spec.name in self.end_event_ids
        ]
        return ends[-1] if ends else ""

    def _transition(self, workflow: Any) -> Transition:
        return Transition(
            state=self.dump(workflow),
            ready=[t.task_spec.name for t in self._ready(workflow)],
            ended=self._ended(workflow),
        )

    def start(self, data: dict[str, Any] | None = None) -> Transition:
        """A new instance run up to its first user task(s)."""
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

        workflow = BpmnWorkflow(self.spec)
        if data:
            workflow.data.update(data)
            for task in workflow.get_tasks():
                task.data.update(data)
        workflow.do_engine_steps()
        return self._transition(workflow)

    def ready_tasks(self, state: dict[str, Any]) -> list[str]:
        if not state:
            return []
        return [t.task_spec.name for t in self._ready(self.load(state))]

    def complete(self, state: dict[str, Any], *, task: str, data: dict[str, Any]) -> Transition:
        """Complete the ready user task ``task`` with ``data`` and run the gateways after it."""
        workflow = self.load(state)
        ready = self._ready(workflow)
        matching = [t for t in ready if t.task_spec.name == task]
        if not matching:
            raise StepError(task, [t.task_spec.name for t in ready])
        matching[0].data.update(data)
        matching[0].run()
        workflow.do_engine_steps()
        return self._transition(workflow)

    def cancel(self, state: dict[str, Any]) -> dict[str, Any]:
        workflow = self.load(state)
        workflow.cancel()
        return self.dump(workflow)

    def diagram(self, state: dict[str, Any]) -> dict[str, Any]:
        """What the bpmn-js viewer needs: the current task ids and the completed element ids."""
        # heavy: SpiffWorkflow is loaded only when a process runs
        from SpiffWorkflow.util.task import TaskState

        current: list[str] = []
        completed: list[str] = []
        if state:
            workflow = self.load(state)
            current = [t.task_spec.name for t in self._ready(workflow)]
            seen: set[str] = set()
            for task in workflow.get_tasks(state=TaskState.COMPLETED):
                name = task.task_spec.name
                if name in self.element_ids and name not in seen:
                    seen.add(name)
                    completed.append(name)
        return {"process_id": self.process_id, "current": current, "completed": completed}
