from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "codi.opendata"
    label = "opendata"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Open data"
