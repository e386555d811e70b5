from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "codi.signatures"
    label = "signatures"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "PKI and e-signatures"
