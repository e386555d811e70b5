from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "codi.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "PDPA"
