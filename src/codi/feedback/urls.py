from django.urls import path

from codi.feedback import views

app_name = "feedback"

urlpatterns = [
    path("feedback/report/", views.report, name="report"),
    path("feedback/t/<str:token>/", views.track, name="track"),
    path("feedback/line/webhook", views.line_webhook, name="line_webhook"),
    path("feedback/boundaries/<str:level>.geojson", views.boundaries, name="boundaries"),
    path("feedback/", views.ticket_list, name="ticket_list"),
    path("feedback/export.csv", views.ticket_export, name="ticket_export"),
    path("feedback/export.xlsx", views.ticket_export_xlsx, name="ticket_export_xlsx"),
    path("feedback/new/", views.staff_entry, name="staff_entry"),
    path("feedback/import/", views.import_posts, name="import"),
    path("feedback/dashboard/", views.dashboard, name="dashboard"),
    path("feedback/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("feedback/<int:ticket_id>/transition/", views.ticket_transition, name="ticket_transition"),
    path("feedback/<int:ticket_id>/project/", views.ticket_project, name="ticket_project"),
    path(
        "feedback/<int:ticket_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
