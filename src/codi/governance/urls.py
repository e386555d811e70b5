from django.urls import path

from codi.governance import views
from codi.governance.views_lineage import mart_lineage_page

app_name = "governance"

urlpatterns = [
    path("governance/", views.home, name="home"),
    path("governance/catalog/", views.catalog_list, name="catalog"),
    path("governance/catalog/dictionary.xlsx", views.catalog_export_xlsx, name="catalog_xlsx"),
    path("governance/catalog/dictionary.pdf", views.catalog_export_pdf, name="catalog_pdf"),
    path("governance/catalog/marts/", mart_lineage_page, name="mart_lineage"),
    path("governance/catalog/<str:label>/", views.catalog_detail, name="catalog_detail"),
    path("governance/masterdata/duplicates/", views.duplicate_list, name="duplicate_list"),
    path(
        "governance/masterdata/duplicates/<int:first>/<int:second>/",
        views.duplicate_compare,
        name="duplicate_compare",
    ),
    path(
        "governance/masterdata/duplicates/<int:first>/<int:second>/merge/",
        views.duplicate_merge,
        name="duplicate_merge",
    ),
    path(
        "governance/masterdata/duplicates/<int:first>/<int:second>/dismiss/",
        views.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    path("governance/masterdata/merges/", views.merge_list, name="merge_list"),
    path("governance/codes/", views.code_lists, name="code_lists"),
    path("governance/codes/<int:pk>/add/", views.code_add, name="code_add"),
    path("governance/quality/", views.quality_overview, name="quality"),
    path("governance/quality/run/", views.quality_run, name="quality_run"),
    path("governance/quality/results/<int:pk>/", views.quality_failures, name="quality_failures"),
    path("governance/ai/", views.ai_register, name="ai_register"),
    path("governance/ai/<str:key>/<str:version>/", views.ai_model_card, name="ai_model_card"),
    path("governance/ai/<str:key>/<str:version>/review/", views.ai_model_review, name="ai_model_review"),
]
