app_name = "signatures"

urlpatterns: list = []
