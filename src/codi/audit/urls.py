from django.urls import path

from codi.audit import views

app_name = "eaudit"

urlpatterns = [
    path("e-audit/", views.home, name="home"),
    path("e-audit/run/", views.run_now, name="run_now"),
    path("e-audit/rules/", views.rules, name="rules"),
    path("e-audit/exceptions/", views.exceptions, name="exceptions"),
    path("e-audit/exceptions/<int:exception_id>/", views.exception_detail, name="exception_detail"),
    path("e-audit/exceptions/<int:exception_id>/action/", views.exception_action, name="exception_action"),
    path("e-audit/engagements/", views.engagements, name="engagements"),
    path("e-audit/plan/", views.plan, name="plan"),
    path("e-audit/engagements/<int:engagement_id>/", views.engagement_detail, name="engagement_detail"),
    path(
        "e-audit/engagements/<int:engagement_id>/report.pdf",
        views.engagement_report,
        name="engagement_report",
    ),
    path("e-audit/findings/<int:finding_id>/", views.finding_detail, name="finding_detail"),
    path("e-audit/findings/<int:finding_id>/action/", views.finding_action, name="finding_action"),
    path("e-audit/situation/", views.situation_room, name="situation"),
    path("e-audit/risks/", views.risks, name="risks"),
    path("e-audit/assessments/", views.assessments, name="assessments"),
    path("e-audit/assessments/<int:assessment_id>/sign/", views.assessment_sign, name="assessment_sign"),
    path("e-audit/assessments/<int:assessment_id>/signed.pdf", views.assessment_pdf, name="assessment_pdf"),
    path("e-audit/report.pdf", views.report_pdf, name="report_pdf"),
    path("e-audit/process/<str:which>.bpmn", views.process_file, name="process_file"),
    path("e-audit/process/as-is/", views.process_asis, name="process_asis"),
]
