from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "codi.documents"
    label = "documents"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Documents and OCR"

    def ready(self) -> None:
        # Data-subject requests reach this app's personal data through its own collector.
        from codi.core.personaldata import register as register_collector  # app registry: ready()
        from codi.documents.privacy import ORDER, DocumentsCollector  # app registry: needs models

        register_collector(DocumentsCollector(), order=ORDER)
        from codi.documents.indexing import register_sources  # app registry: needs models

        register_sources()
