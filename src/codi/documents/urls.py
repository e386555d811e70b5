from django.urls import path

from codi.documents import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/export.xlsx", views.document_export, name="document_export"),
    path("documents/new/", views.document_upload, name="document_upload"),
    path("documents/<int:document_id>/", views.document_detail, name="document_detail"),
    path("documents/<int:document_id>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:document_id>/versions/", views.version_upload, name="version_upload"),
    path("documents/<int:document_id>/readers/", views.readers_set, name="readers_set"),
    path("documents/<int:document_id>/v<int:number>/file", views.version_file, name="version_file"),
    path(
        "documents/<int:document_id>/v<int:number>/thumbnail.png",
        views.version_thumbnail,
        name="version_thumbnail",
    ),
    path("documents/<int:document_id>/v<int:number>/retry/", views.version_retry, name="version_retry"),
]
