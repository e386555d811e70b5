from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "codi.correspondence"
    label = "correspondence"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Electronic correspondence (Saraban)"

    def ready(self) -> None:
        # Data-subject requests reach this app's personal data through its own collector.
        from codi.core.personaldata import register as register_collector
        from codi.correspondence.privacy import ORDER, CorrespondenceCollector

        register_collector(CorrespondenceCollector(), order=ORDER)
        from codi.correspondence import messages  # app registry: registers into notifications

        messages.register()
