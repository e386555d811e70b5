from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "codi.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Data-subject requests reach this app's personal data through its own collector.
        from codi.core.personaldata import register as register_collector
        from codi.notifications.privacy import ORDER, NotificationsCollector

        register_collector(NotificationsCollector(), order=ORDER)
