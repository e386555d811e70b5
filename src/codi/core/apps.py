from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "codi.core"
    label = "core"
    verbose_name = "Core"
