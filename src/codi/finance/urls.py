from django.urls import path

from codi.finance import views

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
]
