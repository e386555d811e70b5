from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "codi.governance"
    label = "governance"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Data governance"
