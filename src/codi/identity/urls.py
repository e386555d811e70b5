from django.urls import path

from codi.identity import device_views, views

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("accounts/mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("accounts/mfa/verify/", views.mfa_challenge, name="mfa_challenge"),
    path("accounts/mfa/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("accounts/mfa/recovery-codes/new/", views.recovery_codes_regenerate, name="mfa_recovery_regenerate"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/devices/", device_views.device_list, name="trusted_devices"),
    path(
        "accounts/devices/<int:device_id>/revoke/", device_views.device_revoke, name="trusted_device_revoke"
    ),
    path("manage/users/", views.user_admin_list, name="user_admin_list"),
    path("manage/users/new/", views.user_admin_create, name="user_admin_create"),
    path("manage/users/<int:user_id>/", views.user_admin_detail, name="user_admin_detail"),
    path("manage/users/<int:user_id>/active/", views.user_admin_set_active, name="user_admin_set_active"),
    path("manage/users/<int:user_id>/api-keys/new/", views.api_key_create, name="api_key_create"),
    path(
        "manage/users/<int:user_id>/api-keys/<int:key_id>/revoke/",
        views.api_key_revoke,
        name="api_key_revoke",
    ),
    path(
        "manage/users/<int:user_id>/roles/<int:assignment_id>/revoke/",
        views.user_admin_revoke,
        name="user_admin_revoke",
    ),
]
