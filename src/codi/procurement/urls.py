from django.urls import path

from codi.procurement import asset_views, document_views, supplies_views, views

app_name = "procurement"

urlpatterns = [
    path("procurement/", views.home, name="home"),
    path("procurement/requisitions/", views.requisition_list, name="requisition_list"),
    path("procurement/requisitions/new/", views.requisition_new, name="requisition_new"),
    path(
        "procurement/requisitions/<int:requisition_id>/", views.requisition_detail, name="requisition_detail"
    ),
    path(
        "procurement/requisitions/<int:requisition_id>/action/",
        views.requisition_action,
        name="requisition_action",
    ),
    path("procurement/process/<str:which>.bpmn", views.process_file, name="process_file"),
    path("procurement/process/as-is/", views.process_asis, name="process_asis"),
    path("procurement/plan/", views.plan, name="plan"),
    path("procurement/thresholds/", views.thresholds, name="thresholds"),
    path("procurement/assets/", views.asset_list, name="asset_list"),
    path("procurement/assets/labels/", views.asset_labels, name="asset_labels"),
    path("procurement/assets/import/", asset_views.asset_import, name="asset_import"),
    path("procurement/assets/<str:code>/", asset_views.asset_detail, name="asset_detail"),
    path("procurement/scan/<str:code>/", views.scan, name="scan"),
    path("procurement/counts/", views.counts, name="counts"),
    path("procurement/counts/<int:count_id>/", views.count_detail, name="count_detail"),
    path("procurement/counts/<int:count_id>/scan/", asset_views.count_scanner, name="count_scanner"),
    path("procurement/supplies/", supplies_views.supplies_home, name="supplies"),
    path("procurement/supplies/<int:store_id>/<int:item_id>/", supplies_views.stock_card, name="stock_card"),
    path(
        "procurement/requisitions/<int:requisition_id>/<str:kind>.pdf",
        document_views.requisition_pdf,
        name="requisition_pdf",
    ),
    path(
        "procurement/requisitions/<int:requisition_id>/deliveries/<int:delivery_id>/inspection.pdf",
        document_views.inspection_pdf,
        name="inspection_pdf",
    ),
    path("procurement/announcements/", document_views.announcements, name="announcements"),
    path(
        "procurement/announcements/award/<int:contract_id>.pdf",
        document_views.award_public_pdf,
        name="award_public_pdf",
    ),
]
