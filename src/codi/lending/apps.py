from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "codi.lending"
    label = "lending"
    verbose_name = "Community lending"
