from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "codi.procurement"
    label = "procurement"
    verbose_name = "Procurement, supplies and assets"
