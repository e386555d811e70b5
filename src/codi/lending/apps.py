from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "codi.lending"
    label = "lending"
    verbose_name = "Community lending"

    def ready(self) -> None:
        from codi.core.personaldata import register as register_collector  # app registry: models load first
        from codi.lending.privacy import ORDER, LendingCollector  # app registry: models load first

        register_collector(LendingCollector(), order=ORDER)

        # the area page's lending block and the NPL indicator on the areas' map
        from codi.lending import panels  # app registry: models load first

        panels.register()
