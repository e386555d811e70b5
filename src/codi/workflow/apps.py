from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "codi.workflow"
    label = "workflow"
    verbose_name = "Process engine (BPMN)"
