from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "codi.communities"
    label = "communities"
    verbose_name = "Communities"
