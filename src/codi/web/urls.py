from django.urls import path
from django.views.generic import RedirectView

from codi.web import areapicker, views

urlpatterns = [
    path("", views.home, name="home"),
    # The registry moved to the communities app; old links and bookmarks keep working.
    path(
        "organizations/",
        RedirectView.as_view(pattern_name="communities:organization_list", query_string=True),
        name="organization_list",
    ),
    path("audit/", views.audit_log, name="audit_log"),
    path("area-options/", areapicker.area_options, name="area_options"),
]
