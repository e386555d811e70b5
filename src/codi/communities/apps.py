from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "codi.communities"
    label = "communities"
    verbose_name = "Communities"

    def ready(self) -> None:
        # Data-subject requests reach this app's personal data through its own collector.
        from codi.communities.privacy import ORDER, CommunitiesCollector
        from codi.core.personaldata import register as register_collector

        register_collector(CommunitiesCollector(), order=ORDER)
        # Titles stay lazy: each page renders them in its own language.
        # The area pages and maps show what this app registers; the areas app never imports us.
        from codi.areas.registry import Indicator, Panel, register_indicator, register_panel
        from codi.communities import selectors

        register_panel(
            Panel(
                key="communities",
                title=cast(str, _("Community organizations")),
                template="communities/area_panel.html",
                context=lambda user, area: selectors.area_summary(actor=user, area=area),
                order=20,
            )
        )
        register_indicator(
            Indicator(
                key="organizations",
                title=cast(str, _("Community organizations")),
                values=lambda user, level: selectors.organization_counts_by_area(actor=user, level=level),
                unit=cast(str, _("organizations")),
            )
        )
        register_indicator(
            Indicator(
                key="members",
                title=cast(str, _("Members of community organizations")),
                values=lambda user, level: selectors.member_counts_by_area(actor=user, level=level),
                unit=cast(str, _("people")),
            )
        )
