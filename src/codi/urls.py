from django.urls import include, path

from codi.api.main import api
from codi.core import views as ops

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics_view, name="metrics"),
    path("api/", api.urls),
    path("o/", include("codi.identity.oidc_urls")),  # single sign-on (OIDC provider)
    path("i18n/", include("django.conf.urls.i18n")),
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
    path("", include("codi.scoring.urls")),  # social scoring
]

handler403 = "codi.web.errors.forbidden"
handler404 = "codi.web.errors.not_found"
handler500 = "codi.web.errors.server_error"
