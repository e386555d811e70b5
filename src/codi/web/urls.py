from django.urls import path

from codi.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organizations/", views.organization_page, name="organization_list"),
    path("audit/", views.audit_log, name="audit_log"),
]
