from django.urls import path

app_name = "correspondence"

urlpatterns: list = []
