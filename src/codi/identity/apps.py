from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "codi.identity"
    label = "identity"
    verbose_name = "Identity"
