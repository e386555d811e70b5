from django.urls import path, re_path

from codi.areas import views

urlpatterns = [
    path("areas/", views.area_index, name="area_index"),
    path("areas/map/", views.area_map, name="area_map"),
    path("areas/search/", views.area_search_page, name="area_search"),
    path("areas/regions/", views.region_admin, name="region_admin"),
    re_path(r"^areas/(?P<code>\d{2}|\d{4}|\d{6})/$", views.area_page, name="area_page"),
]
