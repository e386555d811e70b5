from django.urls import path

from codi.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.dashboard, name="dashboard"),
    path("privacy/notices/", views.notice_index, name="notice_index"),
    path("privacy/notices/manage/", views.notice_manage, name="notice_manage"),
    path("privacy/notices/<slug:purpose>/", views.notice_detail, name="notice_detail"),
    path("privacy/consents/", views.consents, name="consents"),
    path("privacy/requests/", views.request_list, name="request_list"),
    path("privacy/requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path("privacy/requests/<int:request_id>/action/", views.request_action, name="request_action"),
    path("privacy/breaches/", views.breach_list, name="breach_list"),
    path("privacy/breaches/<int:breach_id>/", views.breach_detail, name="breach_detail"),
    path("privacy/breaches/<int:breach_id>/action/", views.breach_action, name="breach_action"),
    path("privacy/register/", views.register, name="register"),
    path("privacy/register.xlsx", views.register_export, name="register_export"),
    path("privacy/retention/", views.retention_page, name="retention"),
]
