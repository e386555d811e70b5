from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "codi.web"
    label = "web"
    verbose_name = "Web shell"
