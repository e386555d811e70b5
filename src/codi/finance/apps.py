from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "codi.finance"
    label = "finance"
    verbose_name = "Finance and accounting"
