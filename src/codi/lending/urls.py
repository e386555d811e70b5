from django.urls import path

from codi.lending import views, views_book, views_welfare

app_name = "lending"

urlpatterns = [
    path("lending/", views.home, name="home"),
    path("lending/loans/<int:loan_id>/", views.loan_detail, name="loan_detail"),
    path("lending/loans/<int:loan_id>/action/", views.loan_action, name="loan_action"),
    path("lending/loans/<int:loan_id>/tranches/<int:n>.xml", views.tranche_file, name="tranche_file"),
    path("lending/loans/<int:loan_id>/contract.pdf", views.contract_pdf, name="contract_pdf"),
    path("lending/housing/", views.housing, name="housing"),
    path("lending/welfare/", views.welfare, name="welfare"),
    path("lending/accruals/", views_book.accrual_runs, name="accruals"),
    path("lending/import/", views_book.loan_book_import, name="loan_import"),
    path("lending/portal/", views_book.portal, name="portal"),
    path("lending/portal/loans/<int:loan_id>/qr/", views_book.portal_qr, name="portal_qr"),
    path("lending/portal/welfare/", views_welfare.portal_welfare, name="portal_welfare"),
    path("lending/portfolio/", views.portfolio, name="portfolio"),
    path("lending/process/<str:which>.bpmn", views.process_file, name="process_file"),
    path("lending/process/as-is/", views.process_asis, name="process_asis"),
]
