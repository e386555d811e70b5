from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "codi.correspondence"
    label = "correspondence"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Electronic correspondence (Saraban)"

    def ready(self) -> None:
        from codi.correspondence import messages

        messages.register()
