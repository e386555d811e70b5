from __future__ import annotations

import pytest

from codi.identity.models import RoleAssignment, User
from codi.signatures import services
from codi.signatures.models import SigningCertificate
from tests.factories import UserFactory


def minimal_pdf(text: str = "CODI test document", pages: int = 1) -> bytes:
    """A small, valid, uncompressed PDF (so a test can change one byte of its page text)."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    font_ref = 3 + 2 * pages
    for i in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font_ref} 0 R >> >> >>".encode()
        )
        stream = f"BT /F1 18 Tf 72 760 Td ({text} - page {i + 1}) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def staff_user(role: str = "project_officer", **fields: object) -> User:
    user = UserFactory(**fields)
    RoleAssignment.objects.create(user=user, role=role, scope_level="country", scope_code="")
    return user


@pytest.fixture
def pki(db):
    return services.pki_init()


@pytest.fixture
def signer(pki) -> User:
    user = staff_user(name_th="สมหญิง ใจดี", position="ผู้อำนวยการสำนักงานภาค")
    services.certificate_issue(actor=user, user=user, second_factor_verified=True)
    return user


@pytest.fixture
def second_signer(pki) -> User:
    user = staff_user(name_th="สมชาย รักงาน", position="เจ้าหน้าที่โครงการ")
    services.certificate_issue(actor=user, user=user, second_factor_verified=True)
    return user


@pytest.fixture
def sample_pdf() -> bytes:
    return minimal_pdf()


def certificate_of(user: User) -> SigningCertificate:
    return SigningCertificate.objects.get(user=user, status="active")


def root_pem_file(directory) -> str:
    """The trust anchor as an outside validator gets it: ``manage.py pki_export_root``."""
    import io

    from django.core.management import call_command

    path = directory / "root.pem"
    call_command("pki_export_root", str(path), stdout=io.StringIO())
    return str(path)


def change_one_byte(pdf: bytes, marker: bytes = b"CODI test document") -> bytes:
    """Flip one byte of the page text, inside the range every signature covers."""
    at = pdf.index(marker)
    return pdf[:at] + b"X" + pdf[at + 1 :]
