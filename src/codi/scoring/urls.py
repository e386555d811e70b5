from django.urls import path

from codi.scoring import views

app_name = "scoring"

urlpatterns = [
    path("scoring/organizations/<int:org_id>/", views.organization, name="organization"),
    path("scoring/organizations/<int:org_id>/override/", views.override, name="override"),
    path("scoring/overrides/", views.overrides, name="overrides"),
    path("scoring/my/", views.portal, name="portal"),
    path("scoring/organizations/<int:org_id>/survey/", views.survey, name="survey"),
    path("scoring/survey/review/", views.survey_review, name="survey_review"),
    path("scoring/my/<int:org_id>/correction/", views.correction_new, name="correction_new"),
    path("scoring/corrections/", views.corrections_list, name="corrections"),
]
