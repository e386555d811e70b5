from django.urls import path

from codi.scoring import views

app_name = "scoring"

urlpatterns = [
    path("scoring/organizations/<int:org_id>/", views.organization, name="organization"),
    path("scoring/organizations/<int:org_id>/override/", views.override, name="override"),
    path("scoring/overrides/", views.overrides, name="overrides"),
    path("scoring/my/", views.portal, name="portal"),
]
