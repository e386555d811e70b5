from django.apps import AppConfig


class EAuditConfig(AppConfig):
    """CODI e-Audit: continuous-audit analytics, findings to closure, risk registers.

    Not to be confused with ``codi.core.audit`` (the hash-chained audit trail this app reads as
    evidence); the label is ``eaudit`` so tables and permissions never read as the trail's.
    """

    name = "codi.audit"
    label = "eaudit"
    verbose_name = "e-Audit, risk and internal control"

    def ready(self) -> None:
        # app registry: e-Audit registers its badge provider once every app is loaded.
        from codi.audit import indicators  # app registry: the areas' map registry, once apps are loaded
        from codi.audit.badges import audit_badges
        from codi.core.badges import register

        register(audit_badges)
        indicators.register()
