"""area_page: a subdistrict's area page with 50,000 organizations and 1,000,000 members, on PostgreSQL.

A child process runs on a throw-away PostgreSQL cluster (``scripts/with-postgres.sh``): it
migrates, loads the areas, adds 50,000 organizations spread at random over the 7,436
subdistricts (``bulk_create``), then 1,000,000 people with one current membership each, spread
evenly over the organizations (one ``INSERT … SELECT generate_series`` per table: the ORM would
spend minutes building a million objects that this benchmark never reads back). Then, with
Django's test client in that process (the full middleware stack, a signed-in session past MFA,
no network), a project officer scoped to region ``northeast`` opens ``/areas/<code>/`` for
``PAGES`` subdistricts of that region in turn, ``ROUNDS`` times, after one warm-up round.
The page shows whatever panels the installed apps register (the communities app's
"organizations by type and members"). The same pages are also timed with no panels at all,
to show what the page itself costs.

Goal (issue): subdistrict area page p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from bench import common

NAME = "area_page"
ORGANIZATIONS = int(os.environ.get("BENCH_AREA_ORGS", "50000"))
MEMBERS = int(os.environ.get("BENCH_AREA_MEMBERS", "1000000"))
PAGES = 30
ROUNDS = 5
REGION = "northeast"
GOAL_P95_MS = 200.0
SEED = 2569


# --- child process -------------------------------------------------------------------------------


def _seed(orgs: int, members: int) -> dict[str, Any]:
    from django.db import connection

    from codi.areas.models import Subdistrict
    from codi.communities.crypto import encrypt_text
    from codi.communities.models import Membership, Organization, OrgType, Person

    rng = random.Random(SEED)
    codes = list(Subdistrict.objects.order_by("code").values_list("code", flat=True))
    types = list(OrgType.values)
    started = time.perf_counter()
    Organization.objects.bulk_create(
        (
            Organization(
                name_th=f"องค์กรชุมชนทดสอบ {i:06d}",
                org_type=types[i % len(types)],
                registration_no=f"A{i:07d}",
                subdistrict_id=rng.choice(codes),
            )
            for i in range(orgs)
        ),
        batch_size=5000,
    )
    orgs_s = time.perf_counter() - started

    person, membership, organization = Person._meta, Membership._meta, Organization._meta
    col = {f.name: f.column for f in person.concrete_fields}
    mcol = {f.name: f.column for f in membership.concrete_fields}
    # One real ciphertext for every row: the page never decrypts it, a reader would get "0000000000000".
    national_id = encrypt_text("0000000000000")
    started = time.perf_counter()
    org_pk, org_subdistrict = organization.pk.column, organization.get_field("subdistrict").column
    # Table and column names come from the models' _meta; every value is a query parameter.
    statements: list[tuple[str, list[Any]]] = [
        (
            f"CREATE TEMPORARY TABLE bench_org AS SELECT {org_pk} AS id, {org_subdistrict} AS subdistrict_id, "  # noqa: S608
            f"(row_number() OVER (ORDER BY {org_pk})) - 1 AS rn FROM {organization.db_table}",
            [],
        ),
        ("CREATE INDEX ON bench_org (rn)", []),
        (
            f"INSERT INTO {person.db_table} ({col['national_id']}, {col['national_id_index']}, "  # noqa: S608
            f"{col['national_id_masked']}, {col['title_th']}, {col['first_name_th']}, {col['last_name_th']}, "
            f"{col['gender']}, {col['phone']}, {col['address']}, {col['subdistrict']}, {col['is_demo']}, "
            f"{col['created_at']}, {col['updated_at']}) "
            "SELECT %s, md5('bench-' || g), 'x-xxxx-xxxxx-xx-x', '', 'สมาชิก', 'ทดสอบ ' || g, '', '', '', "
            "o.subdistrict_id, false, now(), now() "
            "FROM generate_series(0, %s - 1) AS g JOIN bench_org o ON o.rn = g %% %s ORDER BY g",
            [national_id, members, orgs],
        ),
        (
            f"INSERT INTO {membership.db_table} ({mcol['person']}, {mcol['organization']}, {mcol['role']}, "  # noqa: S608
            f"{mcol['created_at']}, {mcol['updated_at']}) "
            "SELECT p.id, o.id, 'member', now(), now() "
            f"FROM (SELECT {person.pk.column} AS id, (row_number() OVER (ORDER BY {person.pk.column})) - 1 AS rn "
            f"FROM {person.db_table}) AS p JOIN bench_org o ON o.rn = p.rn %% %s",
            [orgs],
        ),
        ("DROP TABLE bench_org", []),
        ("ANALYZE", []),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    members_s = time.perf_counter() - started
    return {
        "organizations": Organization.objects.count(),
        "persons": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "organizations_seconds": round(orgs_s, 1),
        "members_seconds": round(members_s, 1),
    }


def _worker(orgs: int, members: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)
    seeded = _seed(orgs, members)

    from codi.areas import registry
    from codi.areas.models import Subdistrict
    from codi.communities.models import Organization
    from codi.identity.models import RoleAssignment, User

    user = User.objects.create_user(username="bench_officer", name_th="เจ้าหน้าที่ทดสอบ")
    RoleAssignment.objects.create(user=user, role="project_officer", scope_level="region", scope_code=REGION)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    rng = random.Random(SEED)
    in_region = list(
        Subdistrict.objects.filter(district__province__region_id=REGION)
        .order_by("code")
        .values_list("code", flat=True)
    )
    codes = sorted(rng.sample(in_region, PAGES))
    orgs_on_pages = Organization.objects.filter(subdistrict_id__in=codes).count()

    def measure(label: str) -> dict[str, Any]:
        for code in codes:  # warm-up: boundary files, region map, connection, template cache
            response = client.get(f"/areas/{code}/")
            if response.status_code != 200:
                raise RuntimeError(f"/areas/{code}/ answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            probe = client.get(f"/areas/{codes[0]}/").content.decode()
        query_count = len(queries.captured_queries)  # read now: the next request clears the log
        # A panel that raised shows an error note instead of its content: say so in the result.
        failed_panels = re.findall(
            r'id="panel-([\w-]+)"[^>]*>\s*<h2[^>]*>[^<]*</h2>\s*<p class="error">', probe
        )
        times: list[float] = []
        sizes: list[int] = []
        for _ in range(ROUNDS):
            for code in codes:
                started = time.perf_counter()
                response = client.get(f"/areas/{code}/")
                times.append(time.perf_counter() - started)
                sizes.append(len(response.content))
        return {
            "label": label,
            "requests": len(times),
            "latency_ms": {
                "p50": round(common.percentile(times, 50) * 1000, 2),
                "p95": round(common.percentile(times, 95) * 1000, 2),
                "max": round(max(times) * 1000, 2),
            },
            "queries_per_page": query_count,
            "panels_that_failed": failed_panels,
            "mean_page_bytes": round(sum(sizes) / len(sizes)),
        }

    with_panels = measure("registered panels: " + ", ".join(p.key for p in registry.panels()))
    saved = dict(registry._panels)
    registry._panels.clear()
    try:
        without_panels = measure("no panels")
    finally:
        registry._panels.update(saved)
    return {
        "vendor": connection.vendor,
        "database_version": str(connection.pg_version) if connection.vendor == "postgresql" else "",  # type: ignore[attr-defined]
        "seeded": seeded,
        "pages": codes,
        "organizations_on_measured_pages": orgs_on_pages,
        "with_panels": with_panels,
        "without_panels": without_panels,
    }


# --- parent ----------------------------------------------------------------------------------------


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    with common.temp_dir(NAME) as tmp:
        env = common.fresh_env(Path(tmp))
        env.pop("DATABASE_URL", None)  # scripts/with-postgres.sh sets it to its own cluster
        done = subprocess.run(
            [
                str(common.REPO / "scripts" / "with-postgres.sh"),
                common.PYTHON,
                "-m",
                "bench.area_page",
                "--worker",
                "--orgs",
                str(ORGANIZATIONS),
                "--members",
                str(MEMBERS),
            ],
            cwd=common.REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"area_page worker failed ({done.returncode}):\n{done.stderr[-4000:]}")
        raw = common.last_json_line(done.stdout)
    p95 = raw["with_panels"]["latency_ms"]["p95"]
    return {
        "benchmark": NAME,
        "machine": common.machine_info(raw["vendor"], load_at_start=load_at_start),
        "setup": {
            "page": "GET /areas/<6-digit code>/ (subdistrict area page)",
            "database": "throw-away PostgreSQL cluster (scripts/with-postgres.sh), fsync off",
            "data": (
                f"{ORGANIZATIONS:,} organizations at random over all subdistricts; {MEMBERS:,} people, "
                "one current membership each, spread evenly over the organizations"
            ),
            "client": "django.test.Client in the worker process: full middleware stack, session past MFA, no network",
            "user": f"project_officer scoped to region {REGION}",
            "pages": f"{PAGES} random subdistricts of the region, {ROUNDS} rounds after one warm-up round",
        },
        "result": raw,
        "goals": {"subdistrict_page_p95_under_200ms": {"value_ms": p95, "goal_met": p95 < GOAL_P95_MS}},
        "goal_met": p95 < GOAL_P95_MS,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    r = result["result"]
    lines = [
        f"   seeded {r['seeded']['organizations']:,} organizations ({r['seeded']['organizations_seconds']} s), "
        f"{r['seeded']['memberships']:,} memberships ({r['seeded']['members_seconds']} s) on {r['vendor']}"
    ]
    for key in ("with_panels", "without_panels"):
        m = r[key]
        lat = m["latency_ms"]
        lines.append(
            f"   {m['label']}: p50 {lat['p50']:.1f}  p95 {lat['p95']:.1f}  max {lat['max']:.1f} ms; "
            f"{m['queries_per_page']} queries, {m['mean_page_bytes']:,} bytes"
            + (
                f"; panels that FAILED to render: {', '.join(m['panels_that_failed'])}"
                if m["panels_that_failed"]
                else ""
            )
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--orgs", type=int, default=ORGANIZATIONS)
    parser.add_argument("--members", type=int, default=MEMBERS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.orgs, args.members)))
        return
    result = run()
    path = common.write_result(NAME, result)
    print(summary(result))
    print(f"   goal met: {'yes' if result['goal_met'] else 'NO'}; {path.relative_to(common.REPO)}")


if __name__ == "__main__":
    main()
