from django.urls import path

from codi.insights import views
from codi.insights.eis import views as eis_views
from codi.insights.eis import views_systems
from codi.insights.marts import views as mart_views

app_name = "insights"

urlpatterns = [
    path("insights/security/", views.security, name="security"),
    path("insights/security/incidents/new/", views.incident_new, name="incident_new"),
    path("insights/security/incidents/<int:incident_id>/", views.incident_detail, name="incident_detail"),
    path("insights/security/evaluate/", views.evaluate_now, name="evaluate_now"),
    path("insights/satisfaction/", views.satisfaction_results, name="satisfaction"),
    path("insights/satisfaction/answer/", views.satisfaction_answer, name="satisfaction_answer"),
    path("insights/eis/", eis_views.executive_board, name="eis"),
    path("insights/eis/kpi/<slug:key>/", eis_views.kpi_detail, name="eis_kpi"),
    path("insights/eis/systems/", views_systems.system_list, name="eis_systems"),
    path("insights/eis/systems/<int:system_id>/", views_systems.system_edit, name="eis_system_edit"),
    path("insights/marts/", mart_views.marts_page, name="marts"),
    path("insights/marts/<slug:name>/download/<slug:fmt>/", mart_views.mart_download, name="mart_download"),
]
