from django.urls import include, path
from wagtail import urls as wagtail_urls

from codi.api.main import api
from codi.core import views as ops
from codi.web import views as web_views
from codi.website import urls as website_urls
from codi.website.views import public_home_or

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics_view, name="metrics"),
    path("api/", api.urls),
    path("o/", include("codi.identity.oidc_urls")),  # single sign-on (OIDC provider)
    path("i18n/", include("django.conf.urls.i18n")),
    # `/`: the public website for visitors, the workspace for signed-in staff (codi.website).
    path("", public_home_or(web_views.home)),
    path("", include(website_urls)),
    *website_urls.cms_urlpatterns,
    path("", include("codi.identity.urls")),
    path("", include("codi.web.urls")),
    path("", include("codi.communities.urls")),
    path("", include("codi.areas.urls")),
    path("", include("codi.knowledge.urls")),
    path("", include("codi.notifications.urls")),
    path("", include("codi.feedback.urls")),
    path("", include("codi.projects.urls")),
    path("", include("codi.signatures.urls")),
    path("", include("codi.documents.urls")),
    path("", include("codi.correspondence.urls")),
    path("", include("codi.governance.urls")),
    path("", include("codi.privacy.urls")),
    path("", include("codi.opendata.urls")),
    path("", include("codi.finance.urls")),
    path("", include("codi.procurement.urls")),
    path("", include("codi.people.urls")),
    path("", include("codi.lending.urls")),
    path("", include("codi.audit.urls")),
    path("", include("codi.gis.urls")),
    # Last: every other path is a website page (Wagtail), else the Thai 404.
    path("", include(wagtail_urls)),
]

handler403 = "codi.web.errors.forbidden"
handler404 = "codi.web.errors.not_found"
handler500 = "codi.web.errors.server_error"
