from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "codi.calendar"
    label = "calendar"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Working-day calendar"
