from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "codi.projects"
    label = "projects"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Community projects (PMS)"

    def ready(self) -> None:
        from codi.projects import (
            messages,  # noqa: F401  (registers the notification templates)
            panels,
        )

        panels.register()
