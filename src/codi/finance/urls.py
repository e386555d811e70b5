from django.urls import path

from codi.finance import views, views_books

app_name = "finance"

urlpatterns = [
    path("finance/", views.home, name="home"),
    path("finance/vouchers/", views.voucher_list, name="voucher_list"),
    path("finance/vouchers/new/", views.voucher_new, name="voucher_new"),
    path("finance/vouchers/<int:voucher_id>/", views.voucher_detail, name="voucher_detail"),
    path("finance/vouchers/<int:voucher_id>/action/", views.voucher_action, name="voucher_action"),
    path("finance/process/<str:which>.bpmn", views.process_file, name="process_file"),
    path("finance/process/as-is/", views.process_asis, name="process_asis"),
    path("finance/batches/", views.batches, name="batches"),
    path("finance/batches/<int:batch_id>/file.csv", views.batch_file, name="batch_file"),
    path("finance/reconcile/", views.reconcile, name="reconcile"),
    path("finance/reports/trial-balance/", views.trial_balance, name="trial_balance"),
    path("finance/reports/budget/", views.budget_report, name="budget_report"),
    path("finance/batches/<int:batch_id>/pain001.xml", views.batch_pain001, name="batch_pain001"),
    path("finance/reports/position/", views.financial_position, name="financial_position"),
    path("finance/reports/performance/", views.financial_performance, name="financial_performance"),
    path("finance/ledger/", views.general_ledger, name="general_ledger"),
    path("finance/ledger/entries/<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("finance/cash-book/", views.cash_book, name="cash_book"),
    path("finance/periods/", views.period_list, name="periods"),
    path("finance/budget-requests/", views.budget_requests, name="budget_requests"),
    path("finance/invoices/<int:invoice_id>/50tawi.pdf", views.wht_certificate, name="wht_certificate"),
    path("finance/reports/pnd/", views.pnd_listing, name="pnd_listing"),
    path("finance/receipts/", views_books.receipts, name="receipts"),
    path("finance/import/", views_books.books_import, name="books_import"),
    path("finance/delegations/", views_books.delegations, name="delegations"),
]
