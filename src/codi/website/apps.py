from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "codi.website"
    label = "website"
    verbose_name = "Public website"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # app registry: publish events into the audit trail, CMS roles from identity at sign-in
        from codi.website import signals

        signals.connect()
