from django.urls import path

from codi.projects import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/export.xlsx", views.project_export, name="project_export"),
    path("projects/inbox/", views.inbox, name="inbox"),
    path("projects/overdue/", views.overdue, name="overdue"),
    path("projects/budget/", views.budget_lines, name="budget_lines"),
    path("projects/dashboard/", views.dashboard, name="dashboard"),
    path("projects/dashboard/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("projects/portal/", views.portal, name="portal"),
    path("projects/import/", views.import_page, name="import"),
    path("projects/process.bpmn", views.process_diagram, name="process_diagram"),
    path("projects/new/", views.proposal_create, name="proposal_create"),
    path("projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/edit/", views.proposal_edit, name="proposal_edit"),
    path("projects/<int:project_id>/report/", views.report_create, name="report_create"),
    path("projects/<int:project_id>/act/<str:action>/", views.project_action, name="project_action"),
    # Stored files, each through the project's scope check (never /media/).
    path("projects/<int:project_id>/receipts/<int:expense_id>/", views.receipt_file, name="receipt_file"),
    path("projects/<int:project_id>/photos/<int:photo_id>/", views.photo_file, name="photo_file"),
    path(
        "projects/<int:project_id>/attachments/<int:attachment_id>/",
        views.attachment_file,
        name="attachment_file",
    ),
    path("projects/<int:project_id>/summary.pdf", views.project_summary_pdf, name="summary_pdf"),
    path("projects/<int:project_id>/agreement.pdf", views.project_agreement_pdf, name="agreement_pdf"),
    path(
        "projects/<int:project_id>/installments/<int:installment_id>/receipt.pdf",
        views.disbursement_receipt_pdf,
        name="receipt_pdf",
    ),
]
