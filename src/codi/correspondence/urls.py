from django.urls import path

from codi.correspondence import views

app_name = "correspondence"

urlpatterns = [
    path("correspondence/", views.letter_list, name="letter_list"),
    path("correspondence/inbox/", views.inbox, name="inbox"),
    path("correspondence/new/", views.letter_create, name="letter_create"),
    path("correspondence/register.pdf", views.register_report_pdf, name="register_pdf"),
    path("correspondence/register.xlsx", views.register_report_xlsx, name="register_xlsx"),
    path("correspondence/<int:letter_id>/", views.letter_detail, name="letter_detail"),
    path("correspondence/<int:letter_id>/route/", views.letter_route, name="letter_route"),
    path("correspondence/<int:letter_id>/notes/", views.letter_note, name="letter_note"),
    path("correspondence/<int:letter_id>/attachments/", views.letter_attach, name="letter_attach"),
    path("correspondence/<int:letter_id>/status/", views.letter_status, name="letter_status"),
    path("correspondence/<int:letter_id>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("correspondence/<int:letter_id>/pdf/", views.letter_pdf_generate, name="letter_pdf_generate"),
    path("correspondence/<int:letter_id>/sign/", views.letter_sign, name="letter_sign"),
    path(
        "correspondence/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "correspondence/routings/<int:routing_id>/acknowledge/",
        views.routing_acknowledge,
        name="routing_acknowledge",
    ),
]
