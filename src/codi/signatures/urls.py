from django.urls import path

from codi.signatures import views

app_name = "signatures"

urlpatterns = [
    path("pki/", views.my_certificates, name="my_certificates"),
    path("pki/certificates/request/", views.certificate_request, name="certificate_request"),
    path(
        "pki/certificates/<int:certificate_id>/revoke/", views.certificate_revoke, name="certificate_revoke"
    ),
    path(
        "pki/certificates/<int:certificate_id>.pem", views.certificate_download, name="certificate_download"
    ),
    path("pki/admin/certificates/", views.admin_certificates, name="admin_certificates"),
    path("pki/admin/certificates/issue/", views.admin_issue, name="admin_issue"),
    path("pki/verify/", views.verify, name="verify"),
    path("pki/root.crt", views.root_crt, name="root_crt"),
    path("pki/root.pem", views.root_pem, name="root_pem"),
    path("pki/issuing.crt", views.issuing_crt, name="issuing_crt"),
    path("pki/tsa.crt", views.tsa_crt, name="tsa_crt"),
    path("pki/crl/root.crl", views.root_crl, name="root_crl"),
    path("pki/crl/issuing.crl", views.issuing_crl, name="issuing_crl"),
    path("pki/tsa", views.tsa, name="tsa"),
]
