"""The one NinjaAPI instance: /api/v1/..., OpenAPI at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from codi.api import errors
from codi.api.auth import api_key_auth, session_auth
from codi.areas.api import router as areas_router
from codi.audit.api import router as audit_router
from codi.communities.api import router as communities_router
from codi.core.problems import PROBLEM_CONTENT_TYPE
from codi.correspondence.api import router as correspondence_router
from codi.documents.api import router as documents_router
from codi.feedback.api import router as feedback_router
from codi.finance.api import router as finance_router
from codi.governance.api import router as governance_router
from codi.identity.api import router as identity_router
from codi.knowledge.api import router as knowledge_router
from codi.lending.api import router as lending_router
from codi.notifications.api import router as notifications_router
from codi.opendata.api import router as opendata_router
from codi.people.api import router as people_router
from codi.privacy.api import router as privacy_router
from codi.procurement.api import router as procurement_router
from codi.projects.api import router as projects_router
from codi.signatures.api import router as signatures_router


class CodiAPI(NinjaAPI):
    """Documents every error response as application/problem+json, which is what the server sends."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = CodiAPI(
    title="CODI Digital Platform API",
    version="1",
    description=(
        "API ของแพลตฟอร์มดิจิทัล พอช. / CODI Digital Platform API. "
        "Authenticate with a browser session or an `X-API-Key` header. "
        "Errors are RFC 7807 problem+json with Thai (`title`, `detail`) and English (`title_en`, `detail_en`) text."
    ),
    auth=[api_key_auth, session_auth],
    urls_namespace="api",
)
errors.install(api)
api.add_router("/v1/identity", identity_router)
api.add_router("/v1/areas", areas_router)
api.add_router("/v1/communities", communities_router)
api.add_router("/v1/knowledge", knowledge_router)
api.add_router("/v1/feedback", feedback_router)
api.add_router("/v1/notifications", notifications_router)
api.add_router("/v1/projects", projects_router)
api.add_router("/v1/signatures", signatures_router)
api.add_router("/v1/documents", documents_router)
api.add_router("/v1/correspondence", correspondence_router)
api.add_router("/v1/governance", governance_router)
api.add_router("/v1/privacy", privacy_router)
api.add_router("/v1/opendata", opendata_router)
api.add_router("/v1/finance", finance_router)
api.add_router("/v1/procurement", procurement_router)
api.add_router("/v1/people", people_router)
api.add_router("/v1/lending", lending_router)
api.add_router("/v1/audit", audit_router)
