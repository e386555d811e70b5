from django.urls import path

app_name = "signatures"

urlpatterns: list = []
