from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "codi.finance"
    label = "finance"
    verbose_name = "Finance and accounting"

    def ready(self) -> None:
        # Data-subject requests reach vendors, invoices and receipts through finance's own collector.
        from codi.core.personaldata import register as register_collector
        from codi.finance.privacy import ORDER, FinanceCollector

        register_collector(FinanceCollector(), order=ORDER)

        # A PMS disbursement or fund return posts its journal entry inside PMS's own transaction.
        from codi.finance.pms_sync import on_money_moved
        from codi.projects.hooks import on_money_moved as register_money_handler

        register_money_handler("finance.ledger", on_money_moved)
