from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "codi.projects"
    label = "projects"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Community projects (PMS)"

    def ready(self) -> None:
        # Data-subject requests reach this app's personal data through its own collector.
        from codi.core.personaldata import register as register_collector
        from codi.projects.privacy import ORDER, ProjectsCollector

        register_collector(ProjectsCollector(), order=ORDER)
        from codi.projects import (
            messages,  # noqa: F401  (registers the notification templates)
            panels,
        )

        panels.register()
