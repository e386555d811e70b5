from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "codi.areas"
    label = "areas"
    verbose_name = "Areas"
