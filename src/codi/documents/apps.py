from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "codi.documents"
    label = "documents"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Documents and OCR"

    def ready(self) -> None:
        from codi.documents.indexing import register_sources

        register_sources()
