from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "codi.people"
    label = "people"
    verbose_name = "People (HR, leave, payroll, training)"

    def ready(self) -> None:
        # Data-subject requests reach employees' records through this app's own collector.
        from codi.core.personaldata import register as register_collector
        from codi.people.privacy import ORDER, PeopleCollector

        register_collector(PeopleCollector(), order=ORDER)
        from codi.people import payslip_mail  # app registry: registers into notifications

        payslip_mail.register()
        from codi.people import certificate_mail  # app registry: registers into notifications

        certificate_mail.register()
