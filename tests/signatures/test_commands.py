"""Management commands: pki_init, pki_export_root, pki_issue, sign_pdf, verify_pdf."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from codi.signatures.models import AuthorityKey
from tests.signatures.conftest import change_one_byte, minimal_pdf, staff_user


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_pki_init_is_idempotent_only_with_if_missing(db):
    assert "root: " in run("pki_init")
    with pytest.raises(CommandError, match="A PKI exists already"):
        run("pki_init")
    assert run("pki_init", "--if-missing") == "PKI exists; nothing to do.\n"
    run("pki_init", "--force")
    assert AuthorityKey.objects.filter(is_active=True).count() == 3


def test_export_root(pki, tmp_path):
    out = tmp_path / "root.pem"
    run("pki_export_root", str(out))
    assert out.read_text() == AuthorityKey.objects.get(kind="root", is_active=True).certificate_pem


def test_export_root_before_init_fails(db, tmp_path):
    with pytest.raises(CommandError, match="pki_init"):
        run("pki_export_root", str(tmp_path / "root.pem"))


def test_sign_and_verify_commands(pki, tmp_path):
    # given a user with a certificate issued at the console
    user = staff_user(username="director1", name_th="ผู้อำนวยการ ทดสอบ")
    assert "Issued" in run("pki_issue", "--user", "director1", "--position", "ผู้อำนวยการภาค")
    assert "nothing to do" in run("pki_issue", "--user", "director1", "--if-missing")
    source = tmp_path / "in.pdf"
    source.write_bytes(minimal_pdf())
    signed = tmp_path / "out.pdf"

    # when
    run("sign_pdf", "--signer", user.username, "--input", str(source), "--output", str(signed), "--certify")

    # then verify_pdf exits 0 and prints the report
    report = run("verify_pdf", str(signed))
    assert "Signature 1: CODI-Signature-1  VALID" in report
    assert "signer:            ผู้อำนวยการ ทดสอบ (ผู้อำนวยการภาค)" in report
    assert "certification signature (document locked)" in report
    assert report.endswith("RESULT: every signature is valid and trusted\n")

    # and after one byte changes it exits 1
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(change_one_byte(signed.read_bytes()))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_pdf", str(changed), stdout=out)
    assert exit_info.value.code == 1
    assert "integrity intact:  NO" in out.getvalue()
    assert "RESULT: NOT VALID" in out.getvalue()


def test_verify_pdf_fails_for_unsigned_and_non_pdf_files(pki, tmp_path):
    unsigned = tmp_path / "plain.pdf"
    unsigned.write_bytes(minimal_pdf())
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_pdf", str(unsigned), stdout=io.StringIO())
    assert exit_info.value.code == 1

    text = tmp_path / "note.txt"
    text.write_text("hello")
    with pytest.raises(CommandError, match="This file is not a PDF"):
        run("verify_pdf", str(text))


def test_sign_pdf_refuses_a_user_without_certificate(pki, tmp_path):
    staff_user(username="nocert")
    source = tmp_path / "in.pdf"
    source.write_bytes(minimal_pdf())
    with pytest.raises(CommandError, match="The signer has no signing certificate"):
        run("sign_pdf", "--signer", "nocert", "--input", str(source), "--output", str(tmp_path / "o.pdf"))
    with pytest.raises(CommandError, match="No user"):
        run("sign_pdf", "--signer", "ghost", "--input", str(source), "--output", str(tmp_path / "o.pdf"))
