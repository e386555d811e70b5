from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Insights and operations (issue 24): security operations — incidents, alert rules, anomaly
    detection, the SIEM feed."""

    name = "codi.insights"
    label = "insights"
    verbose_name = "Insights and operations"

    def ready(self) -> None:
        from codi.insights import messages  # noqa: F401  (registers the alert notification template)
        from codi.insights.eis.sources import (
            register_all,  # app registry: KPI sources read other apps' selectors
        )

        register_all()
