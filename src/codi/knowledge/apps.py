from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "codi.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The search service indexes what we register; it never imports this app.
        from codi.knowledge import panels
        from codi.knowledge.indexing import register_sources

        register_sources()
        panels.register()
