from django.urls import path

from codi.gis import ogc, ogc_openapi, thematic_views, values_views, views

app_name = "gis"

urlpatterns = [
    path("gis/", views.map_page, name="map"),
    path("gis/export.<str:file_format>", views.map_export, name="map_export"),
    path("gis/settlements/", views.settlement_list, name="settlement_list"),
    path("gis/settlements/new/", views.settlement_create, name="settlement_create"),
    path("gis/settlements/import/", views.settlement_import, name="settlement_import"),
    path("gis/settlements/<int:settlement_id>/", views.settlement_detail, name="settlement_detail"),
    path("gis/settlements/<int:settlement_id>/edit/", views.settlement_edit, name="settlement_edit"),
    path("gis/analysis/near/", views.near_project, name="near_project"),
    path("gis/analysis/summary/", views.area_summary, name="area_summary"),
    path("gis/layers/<slug:key>/clusters", views.layer_clusters, name="layer_clusters"),
    path("gis/layers/<slug:key>/values.json", values_views.layer_values, name="layer_values"),
    path("gis/layers/<slug:key>.<str:file_format>", views.layer_download, name="layer_download"),
    path("gis/thematic/", thematic_views.thematic_page, name="thematic"),
    path("gis/thematic/data.json", thematic_views.thematic_data, name="thematic_data"),
    path("gis/ogc/", ogc.landing, name="ogc_landing"),
    path("gis/ogc/api", ogc_openapi.api, name="ogc_api"),
    path("gis/ogc/conformance", ogc.conformance, name="ogc_conformance"),
    path("gis/ogc/collections", ogc.collections, name="ogc_collections"),
    path("gis/ogc/collections/<slug:key>", ogc.collection, name="ogc_collection"),
    path("gis/ogc/collections/<slug:key>/queryables", ogc.queryables, name="ogc_queryables"),
    path("gis/ogc/collections/<slug:key>/items", ogc.items, name="ogc_items"),
    path("gis/ogc/collections/<slug:key>/items/<str:fid>", ogc.item, name="ogc_item"),
]
