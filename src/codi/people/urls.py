from django.urls import path

from codi.people import views, views_attendance, views_payslip_mail, views_selfservice, views_team

app_name = "people"

urlpatterns = [
    path("people/", views.home, name="home"),
    path("people/employees/", views.employee_list, name="employee_list"),
    path("people/employees/new/", views.employee_new, name="employee_new"),
    path("people/org-chart/", views.org_chart, name="org_chart"),
    path("people/employees/<int:employee_id>/", views.employee_detail, name="employee_detail"),
    path("people/employees/<int:employee_id>/overtime/", views.employee_overtime, name="employee_overtime"),
    path(
        "people/employees/<int:employee_id>/cost-split/",
        views.employee_cost_split,
        name="employee_cost_split",
    ),
    path("people/team/", views_team.team_calendar, name="team_calendar"),
    path("people/attendance/import/", views_attendance.time_clock_import, name="time_clock_import"),
    path("people/me/changes/", views_selfservice.my_changes, name="my_changes"),
    path("people/me/skills/", views_selfservice.my_skills, name="my_skills"),
    path("people/changes/", views_selfservice.change_inbox, name="change_inbox"),
    path("people/changes/<int:change_id>/decide/", views_selfservice.change_decide, name="change_decide"),
    path("people/leave/new/", views.leave_new, name="leave_new"),
    path("people/leave/<int:request_id>/", views.leave_detail, name="leave_detail"),
    path("people/leave/<int:request_id>/decide/", views.leave_decide, name="leave_decide"),
    path("people/process/<str:name>.bpmn", views.process_file, name="process_file"),
    path("people/process/<str:name>/as-is/", views.process_asis, name="process_asis"),
    path("people/payroll/", views.run_list, name="run_list"),
    path("people/payroll/<int:run_id>/", views.run_detail, name="run_detail"),
    path("people/payroll/<int:run_id>/action/", views.run_action, name="run_action"),
    path("people/payroll/<int:run_id>/bank-file.csv", views.run_bank_file, name="run_bank_file"),
    path("people/payroll/<int:run_id>/pnd1.xlsx", views.run_pnd1, name="run_pnd1"),
    path("people/payroll/<int:run_id>/sso.xlsx", views.run_sso, name="run_sso"),
    path("people/payslips/<int:payslip_id>.pdf", views.payslip_pdf, name="payslip_pdf"),
    path("people/competency/", views.competency, name="competency"),
    path("people/tax/<int:year>/", views.tax_year, name="tax_year"),
    path("people/tax/<int:year>/pnd1k.xlsx", views.tax_pnd1k, name="tax_pnd1k"),
    path("people/tax/<int:year>/50tawi/<int:employee_id>.pdf", views.tax_certificate, name="tax_certificate"),
    path("people/import/", views.import_file, name="import_file"),
    # people7: payslips by e-mail, lateness and absence
    path("people/payroll/<int:run_id>/email/", views_payslip_mail.run_mailing, name="run_mailing"),
    path("people/attendance/", views_attendance.attendance_month, name="attendance_month"),
]

# training: courses, certificates, evaluation, the supervisor's assessment (appended: merges stay clean)
from codi.people import views_training  # noqa: E402

urlpatterns += [
    path("people/courses/", views_training.course_list, name="course_list"),
    path("people/courses/<int:course_id>/", views_training.course_detail, name="course_detail"),
    path(
        "people/courses/<int:course_id>/certificates.zip",
        views_training.course_certificates,
        name="course_certificates",
    ),
    path(
        "people/certificates/<int:attendance_id>.pdf", views_training.certificate_pdf, name="certificate_pdf"
    ),
    path("people/certificates/verify/", views_training.certificate_verify, name="certificate_verify_form"),
    path(
        "people/certificates/verify/<str:code>/", views_training.certificate_verify, name="certificate_verify"
    ),
    path("people/team/skills/", views_training.team_skills, name="team_skills"),
    path("people/skills/summary.xlsx", views_training.skills_summary_xlsx, name="skills_summary_xlsx"),
]

# people8: birth date, attendance rules, course and attendance pages
urlpatterns += [
    path(
        "people/employees/<int:employee_id>/birth-date/",
        views.employee_birth_date,
        name="employee_birth_date",
    ),
]
urlpatterns += [
    path("people/attendance/rules/", views_attendance.attendance_rules_page, name="attendance_rules"),
    path(
        "people/attendance/rules/<int:rule_id>/",
        views_attendance.attendance_rules_page,
        name="attendance_rule_edit",
    ),
]

from codi.people import views_courses  # noqa: E402

urlpatterns += [
    path("people/courses/new/", views_courses.course_new, name="course_new"),
    path(
        "people/courses/<int:course_id>/attendance/",
        views_courses.course_attendance,
        name="course_attendance",
    ),
]
