from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "codi.scoring"
    label = "scoring"
    verbose_name = "Social scoring"

    def ready(self) -> None:
        from codi.areas.registry import Indicator, register_indicator  # app registry: models load first
        from codi.scoring import panels  # app registry: models load first
        from codi.scoring.selectors import area_index_values  # app registry: models load first

        register_indicator(
            Indicator(
                key="scoring_index", title="ดัชนีความเข้มแข็งของชุมชน", values=area_index_values, unit="คะแนน"
            )
        )
        panels.register()
