from django.urls import path

from codi.opendata import ckan, views

app_name = "opendata"

urlpatterns = [
    path("opendata/", views.dataset_list, name="dataset_list"),
    path("opendata/catalog.jsonld", views.catalog_jsonld, name="catalog_jsonld"),
    path("opendata/catalog.ttl", views.catalog_ttl, name="catalog_ttl"),
    path("opendata/api/action/<str:name>", ckan.action, name="ckan_action"),
    path("opendata/api/3/action/<str:name>", ckan.action, name="ckan_action_3"),
    path("opendata/manage/", views.manage, name="manage"),
    path("opendata/manage/<slug:name>/<str:verb>/", views.manage_action, name="manage_action"),
    path("opendata/dataset/<slug:name>/", views.dataset_detail, name="dataset"),
    path(
        "opendata/dataset/<slug:name>/resource/<str:resource_id>/download.<str:fmt>",
        views.download,
        name="download",
    ),
]
