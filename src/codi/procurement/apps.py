from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "codi.procurement"
    label = "procurement"
    verbose_name = "Procurement, supplies and assets"

    def ready(self) -> None:
        # Data-subject requests reach individual vendors through this app's own collector.
        from codi.core.personaldata import register as register_collector
        from codi.procurement.privacy import ORDER, ProcurementCollector

        register_collector(ProcurementCollector(), order=ORDER)
