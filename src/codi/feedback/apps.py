from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "codi.feedback"
    label = "feedback"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Community feedback"

    def ready(self) -> None:
        # Data-subject requests reach this app's personal data through its own collector.
        from codi.core.personaldata import register as register_collector
        from codi.feedback.privacy import ORDER, FeedbackCollector

        register_collector(FeedbackCollector(), order=ORDER)
        # app registry: the panels register into the workspaces once the apps are ready
        from codi.feedback import panels

        panels.register()
