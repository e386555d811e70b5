from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The API package as an app only so that its key cache's invalidation is connected in every process."""

    name = "codi.api"
    label = "codi_api"
    verbose_name = "API"

    def ready(self) -> None:
        from codi.api import keycache  # app registry: it imports models, ready only now

        keycache.connect()
