"""Optional LDAP sign-in, tested against a real OpenLDAP server (Debian's slapd) started here.

The server gets a temporary slapd.conf, an MDB database filled with
``slapadd`` before it starts, and a free port on 127.0.0.1; it is stopped at
the end of the module. Group changes during a test go through ``ldapmodify``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.contrib.auth import authenticate

from codi.core.models import AuditEntry
from codi.identity.ldap import RoleMapping, ldap_authenticate, parse_role_map
from codi.identity.models import RoleAssignment, User

SLAPD = "/usr/sbin/slapd"
SUFFIX = "dc=codi,dc=test"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "admin-secret"
USER_PASSWORD = "ldap-password-1"
OFFICERS = f"cn=kk-officers,ou=groups,{SUFFIX}"
AUDITORS = f"cn=auditors,ou=groups,{SUFFIX}"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not Path(SLAPD).exists(), reason="Debian package slapd is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _hash(password: str) -> str:
    return subprocess.run(
        ["/usr/sbin/slappasswd", "-s", password], check=True, capture_output=True, text=True
    ).stdout.strip()


LDIF = """dn: {suffix}
objectClass: dcObject
objectClass: organization
dc: codi
o: CODI test directory

dn: ou=people,{suffix}
objectClass: organizationalUnit
ou: people

dn: ou=groups,{suffix}
objectClass: organizationalUnit
ou: groups

dn: uid=malee,ou=people,{suffix}
objectClass: inetOrgPerson
uid: malee
cn: Malee Srisuk
sn: Srisuk
givenName: Malee
displayName:: 4Lih4Liy4Lil4Li1IOC4qOC4o+C4teC4quC4uOC4gg==
mail: malee@codi.test
userPassword: {password}

dn: uid=prasit,ou=people,{suffix}
objectClass: inetOrgPerson
uid: prasit
cn: Prasit Kaewmanee
sn: Kaewmanee
mail: prasit@codi.test
userPassword: {password}

dn: {officers}
objectClass: groupOfNames
cn: kk-officers
member: uid=malee,ou=people,{suffix}

dn: {auditors}
objectClass: groupOfNames
cn: auditors
member: uid=malee,ou=people,{suffix}
member: uid=prasit,ou=people,{suffix}
"""


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    """A running slapd on a free port with two people and two groups; yields its URI."""
    root = tmp_path_factory.mktemp("slapd")
    (root / "db").mkdir()
    conf = root / "slapd.conf"
    conf.write_text(
        "\n".join(
            [
                *(f"include /etc/ldap/schema/{name}.schema" for name in ("core", "cosine", "inetorgperson")),
                f"pidfile {root}/slapd.pid",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "database mdb",
                "maxsize 10485760",
                f'suffix "{SUFFIX}"',
                f'rootdn "{ADMIN_DN}"',
                f"rootpw {ADMIN_PASSWORD}",
                f"directory {root}/db",
                "access to attrs=userPassword by anonymous auth by self write by * none",
                "access to * by * read",
                "",
            ]
        )
    )
    data = root / "data.ldif"
    data.write_text(
        LDIF.format(suffix=SUFFIX, password=_hash(USER_PASSWORD), officers=OFFICERS, auditors=AUDITORS)
    )
    subprocess.run(["/usr/sbin/slapadd", "-f", str(conf), "-l", str(data)], check=True, capture_output=True)
    port = _free_port()
    uri = f"ldap://127.0.0.1:{port}"
    # -d 0 keeps slapd in the foreground, so the test owns the process and can stop it.
    process = subprocess.Popen(
        [SLAPD, "-f", str(conf), "-h", f"{uri}/", "-d", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                process.kill()
                pytest.fail(f"slapd did not start: {output}")
            time.sleep(0.05)
    yield uri
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(root, ignore_errors=True)


def _ldapmodify(uri: str, ldif: str) -> None:
    subprocess.run(
        ["/usr/bin/ldapmodify", "-x", "-H", uri, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD],
        input=ldif,
        text=True,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def ldap_settings(settings, slapd):
    settings.LDAP_ENABLED = True
    settings.AUTH_LDAP_SERVER_URI = slapd
    settings.AUTH_LDAP_BIND_DN = ""
    settings.AUTH_LDAP_BIND_PASSWORD = ""
    settings.CODI_LDAP_USER_SEARCH_BASE = f"ou=people,{SUFFIX}"
    settings.CODI_LDAP_USER_FILTER = "(uid=%(user)s)"
    settings.CODI_LDAP_GROUP_SEARCH_BASE = f"ou=groups,{SUFFIX}"
    settings.CODI_LDAP_GROUP_TYPE = "groupOfNames"
    settings.CODI_LDAP_ROLE_MAP = f"project_officer@province:40={OFFICERS}; internal_auditor={AUDITORS}"
    settings.AUTHENTICATION_BACKENDS = [
        "codi.identity.ldap.CodiLDAPBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    return settings


def _roles(user: User) -> list[tuple[str, str, str]]:
    return sorted(RoleAssignment.objects.filter(user=user).values_list("role", "scope_level", "scope_code"))


def test_a_directory_user_signs_in_and_gets_the_roles_of_their_groups(ldap_settings):
    # when a person from the directory signs in with the directory password
    user = ldap_authenticate(username="malee", password=USER_PASSWORD)

    # then a CODI user is made from the directory entry, with the mapped roles and scopes
    assert user is not None
    user.refresh_from_db()
    assert user.username == "malee"
    assert user.name_th == "มาลี ศรีสุข"
    assert user.email == "malee@codi.test"
    assert not user.has_usable_password()
    assert _roles(user) == [("internal_auditor", "country", ""), ("project_officer", "province", "40")]
    entry = AuditEntry.objects.get(action="identity.ldap.roles_sync", object_id=str(user.pk))
    assert entry.changes["granted"] == ["project_officer@province:40", "internal_auditor@country:"]


def test_a_wrong_directory_password_or_unknown_user_is_refused(ldap_settings):
    assert ldap_authenticate(username="malee", password="wrong-password") is None
    assert ldap_authenticate(username="nobody", password=USER_PASSWORD) is None
    assert authenticate(None, username="malee", password="") is None
    assert not User.objects.filter(username__in=["malee", "nobody"]).exists()


def test_the_login_check_signs_in_a_directory_user_and_counts_local_failures(ldap_settings):
    from codi.identity.services import login_check

    # when a directory user signs in through the platform's login check
    result = login_check(username="malee", password=USER_PASSWORD)

    # then the directory answers, and the sign-in is audited as coming from it
    assert result.user is not None and result.user.username == "malee"
    assert AuditEntry.objects.filter(action="identity.login", changes__via="ldap").count() == 1
    # and a wrong password falls through to the local check, which counts the failure
    assert login_check(username="malee", password="wrong-password").user is None
    assert User.objects.get(username="malee").failed_login_count == 1


def test_django_authenticate_goes_through_the_directory(ldap_settings):
    user = authenticate(None, username="prasit", password=USER_PASSWORD)

    assert user is not None
    assert user.backend == "codi.identity.ldap.CodiLDAPBackend"
    assert _roles(user) == [("internal_auditor", "country", "")]


def test_leaving_a_group_revokes_its_role_and_keeps_roles_granted_in_codi(ldap_settings, slapd):
    # given a directory user who signed in once, and a role granted by hand in CODI
    user = ldap_authenticate(username="prasit", password=USER_PASSWORD)
    assert user is not None
    RoleAssignment.objects.create(user=user, role="knowledge_officer", scope_level="country", scope_code="")

    # when the directory removes them from the auditors group and they sign in again
    _ldapmodify(
        slapd, f"dn: {AUDITORS}\nchangetype: modify\ndelete: member\nmember: uid=prasit,ou=people,{SUFFIX}\n"
    )
    try:
        again = ldap_authenticate(username="prasit", password=USER_PASSWORD)
    finally:
        _ldapmodify(
            slapd, f"dn: {AUDITORS}\nchangetype: modify\nadd: member\nmember: uid=prasit,ou=people,{SUFFIX}\n"
        )

    # then the mapped role is gone and the hand-granted one stays
    assert again is not None and again.pk == user.pk
    assert _roles(user) == [("knowledge_officer", "country", "")]


def test_ldap_is_off_by_default(settings):
    assert settings.LDAP_ENABLED is False
    assert "codi.identity.ldap.CodiLDAPBackend" not in settings.AUTHENTICATION_BACKENDS
    assert ldap_authenticate(username="malee", password=USER_PASSWORD) is None


def test_the_role_map_is_parsed_and_mistakes_are_refused():
    assert parse_role_map(f" system_admin={OFFICERS} ; project_officer@district:4001=CN=X,DC=Y ") == [
        RoleMapping(OFFICERS, "system_admin", "country", ""),
        RoleMapping("cn=x,dc=y", "project_officer", "district", "4001"),
    ]
    for bad in (
        "wizard=cn=x",
        "project_officer@planet:1=cn=x",
        "project_officer@province=cn=x",
        "system_admin",
    ):
        with pytest.raises(ValueError, match="CODI_LDAP_ROLE_MAP"):
            parse_role_map(bad)
