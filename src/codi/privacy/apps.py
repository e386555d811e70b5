from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "codi.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "PDPA"

    def ready(self) -> None:
        # app registry: consent check, templates and collectors register once models are loaded
        from codi.feedback.selectors import register_analytics_exclusion
        from codi.notifications.messages import register_template
        from codi.notifications.services import register_consent_check
        from codi.privacy import collectors, messages, selectors

        collectors.register_own()

        for template in messages.TEMPLATES:
            register_template(template)
        # Withdrawal takes effect in the modules that process on consent (they know nothing of it).
        register_consent_check(selectors.consent_given)
        register_analytics_exclusion(selectors.analytics_exclusion)
