"""An API call sent as a form (multipart, the browser's and many clients' default) with or without
fields gets a clear 400 problem, never a 500: the body stays readable after the NUL check."""

from __future__ import annotations

from tests.permissions import signed_in_client


def test_a_form_body_to_a_json_endpoint_is_a_clear_400(people, books):
    maker = signed_in_client(people["maker"])
    for url, data in (
        ("/api/v1/finance/vouchers/999999/submit", {}),
        ("/api/v1/finance/qr", {"kind": "promptpay", "amount": "10"}),
    ):
        response = maker.post(url, data)
        assert response.status_code == 400, (url, response.status_code)
        assert response["Content-Type"].startswith("application/problem+json")
