from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "codi.feedback"
    label = "feedback"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Community feedback"

    def ready(self) -> None:
        from codi.feedback import panels

        panels.register()
