from django.urls import path

from codi.communities import views

app_name = "communities"

urlpatterns = [
    path("communities/organizations/", views.organization_list, name="organization_list"),
    path("communities/organizations/new/", views.organization_create, name="organization_create"),
    path(
        "communities/organizations/export.<str:file_format>",
        views.organization_export,
        name="organization_export",
    ),
    path("communities/organizations/<int:org_id>/", views.organization_detail, name="organization_detail"),
    path("communities/organizations/<int:org_id>/edit/", views.organization_edit, name="organization_edit"),
    path("communities/members/", views.member_list, name="member_list"),
    path("communities/members/new/", views.member_create, name="member_create"),
    path("communities/members/export.<str:file_format>", views.member_export, name="member_export"),
    path("communities/members/<int:person_id>/", views.member_detail, name="member_detail"),
    path("communities/members/<int:person_id>/edit/", views.member_edit, name="member_edit"),
    path("communities/members/<int:person_id>/memberships/", views.membership_add, name="membership_add"),
    path("communities/memberships/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("communities/imports/", views.import_list, name="import_list"),
    path("communities/imports/template/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("communities/imports/<int:job_id>/", views.import_detail, name="import_detail"),
    path("communities/imports/<int:job_id>/progress", views.import_progress, name="import_progress"),
    path("communities/imports/<int:job_id>/errors.csv", views.import_errors_csv, name="import_errors"),
    path("communities/imports/<int:job_id>/<str:action>/", views.import_action, name="import_action"),
]
