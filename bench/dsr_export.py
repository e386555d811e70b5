"""dsr_export: one person's access-request export with 1,000,000 members in the database.

One child process on a fresh database (PostgreSQL when ``DATABASE_URL`` starts with
``postgres``: a temporary database is created there and dropped; otherwise SQLite):

1. Seed, not timed: migrate, load the areas, 1,000 organizations, ``ROWS`` persons and
   ``ROWS`` memberships (one per person) and ``ROWS`` audit entries naming them
   (``communities.membership_add`` against the organization, as the service writes them),
   100,000 feedback tickets with reporter phones — all by bulk insert (PostgreSQL
   ``COPY``, SQLite ``executemany``); filler persons share one encrypted national ID
   (their index is unique). Then the target person, made like any other: 3 memberships,
   a project as contact, 2 feedback reports (by phone) and their notifications.
2. Timed, warm, median of ``REPEATS``:
   - ``baseline``: the person by blind index and their memberships (the least an export reads);
   - ``export``: ``codi.privacy.services.person_export`` (every collector);
   - ``command``: ``manage.py dsr_export --national-id … --output FILE.json`` through
     ``call_command`` (request logged and verified, export, audit entry, JSON written).

Goal (issue): the export under 2 s with 1,000,000 members (PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import common

NAME = "dsr_export"
ROWS = int(os.environ.get("BENCH_DSR_ROWS", "1000000"))
ORGANIZATIONS = 1000
TICKETS = 100_000
REPEATS = 7
GOAL_S = 2.0
CHUNK = 100_000


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)  # noqa: S608


def _seed(rows: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from codi.areas.models import Subdistrict
    from codi.communities.crypto import encrypt_text
    from codi.communities.models import Organization
    from codi.feedback.models import Ticket

    started = time.monotonic()
    codes = list(Subdistrict.objects.order_by("code").values_list("code", flat=True)[:2000])
    Organization.objects.bulk_create(
        [
            Organization(
                name_th=f"กลุ่มออมทรัพย์ทดสอบ {i:04d}",
                org_type="savings_group",
                registration_no=f"B-{i:05d}",
                subdistrict_id=codes[i % len(codes)],
                name_search=" ",
            )
            for i in range(ORGANIZATIONS)
        ],
        batch_size=500,
    )
    org_ids = list(Organization.objects.order_by("id").values_list("id", flat=True))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    token = encrypt_text("1100000000000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_id FROM core_audithead WHERE id = 1")
        audit_base = cursor.fetchone()[0]
    for start in range(0, rows, CHUNK):
        stop = min(rows, start + CHUNK)
        with transaction.atomic():
            _insert(
                "communities_person",
                [
                    "national_id",
                    "national_id_index",
                    "national_id_masked",
                    "title_th",
                    "first_name_th",
                    "last_name_th",
                    "gender",
                    "phone",
                    "address",
                    "subdistrict_id",
                    "record_hash",
                    "is_demo",
                    "created_at",
                    "updated_at",
                ],
                [
                    (
                        token,
                        f"{i:064d}",
                        "1-1000-xxxxx-xx-0",
                        "",
                        f"สมาชิก{i}",
                        "ทดสอบ",
                        "",
                        "",
                        "",
                        codes[i % len(codes)],
                        "",
                        False,
                        now,
                        now,
                    )
                    for i in range(start, stop)
                ],
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT MIN(id) FROM communities_person WHERE national_id_index = %s", [f"{start:064d}"]
            )
            first_id = cursor.fetchone()[0]
        with transaction.atomic():
            _insert(
                "communities_membership",
                ["person_id", "organization_id", "role", "created_at", "updated_at"],
                [
                    (first_id + k, org_ids[(start + k) % len(org_ids)], "member", now, now)
                    for k in range(stop - start)
                ],
            )
            _insert(
                "core_auditentry",
                [
                    "id",
                    "created_at",
                    "actor_label",
                    "action",
                    "object_type",
                    "object_id",
                    "changes",
                    "request_id",
                    "prev_hash",
                    "hash",
                ],
                [
                    (
                        audit_base + 1 + start + k,
                        now,
                        "system",
                        "communities.membership_add",
                        "communities.organization",
                        str(org_ids[(start + k) % len(org_ids)]),
                        json.dumps({"membership": first_id + k, "person": first_id + k, "role": "member"}),
                        "",
                        "0" * 64,
                        f"{audit_base + 1 + start + k:064x}",
                    )
                    for k in range(stop - start)
                ],
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_audithead SET last_id = %s, last_hash = %s WHERE id = 1",
            [audit_base + rows, f"{audit_base + rows:064x}"],
        )
    print(f"persons, memberships, audit entries: {time.monotonic() - started:.0f} s", file=sys.stderr)
    for start in range(0, TICKETS, 5000):
        Ticket.objects.bulk_create(
            [
                Ticket(
                    reference=f"FB-BENCH-{i:07d}",
                    token_hash=f"{i:064x}",
                    channel="web",
                    text="ถนนชำรุด น้ำท่วมขัง ขอให้ช่วยแก้ไข",
                    subdistrict_id=codes[i % len(codes)],
                    reporter_phone=f"08{i:08d}",
                    reporter_name=f"ผู้แจ้ง {i}",
                )
                for i in range(start, min(TICKETS, start + 5000))
            ],
            batch_size=1000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"seed_s": round(time.monotonic() - started, 1)}


def _target(officer: Any) -> tuple[str, Any]:
    from decimal import Decimal

    from stdnum.th import pin

    from codi.communities import services as communities
    from codi.communities.models import Organization
    from codi.core.audit import audit_record
    from codi.feedback.models import Ticket
    from codi.notifications.services import notification_send
    from codi.projects.models import Program, Project

    body = "310060049876"
    national_id = body + pin.calc_check_digit(body)
    person = communities.person_create(
        actor=officer,
        national_id=national_id,
        first_name_th="สมหญิง",
        last_name_th="ทดสอบสิทธิ",
        subdistrict_code="400104",
        phone="0812345679",
        address="9 หมู่ 1",
    )
    for org in Organization.objects.order_by("id")[:3]:
        communities.membership_add(actor=officer, person=person, organization=org)
    program, _ = Program.objects.get_or_create(code="BMK", defaults={"kind": "housing", "name_th": "บ้านมั่นคง"})
    Project.objects.create(
        code="P-BENCH-1",
        program=program,
        fiscal_year=2569,
        subdistrict_id="400104",
        lead_organization=Organization.objects.order_by("id").first(),
        contact_person=person,
        title="ซ่อมบ้าน",
        requested_amount=Decimal("100000.00"),
    )
    for n in range(2):
        ticket = Ticket.objects.create(
            reference=f"FB-TARGET-{n}",
            token_hash=secrets.token_hex(32),
            channel="web",
            text="ขอทราบความคืบหน้า",
            subdistrict_id="400104",
            reporter_phone="081-234-5679",
            reporter_email="somying@example.com",
        )
        audit_record(
            actor=None, action="feedback.ticket.create", object_type="feedback.ticket", object_id=ticket.pk
        )
        notification_send(
            recipient_email="somying@example.com",
            template_key="generic",
            context={"subject": "s", "body": "b"},
            channel="email",
        )
    return national_id, person


def _median_s(fn: Any, repeats: int) -> tuple[float, float, list[float]]:
    cold_start = time.perf_counter()
    fn()
    cold = time.perf_counter() - cold_start
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), cold, times


def _worker(rows: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
    call_command("load_areas", verbosity=0, skip_checks=True)
    from codi.communities.crypto import blind_index
    from codi.communities.models import Membership, Person
    from codi.identity.models import RoleAssignment, User
    from codi.privacy import services

    seeded = _seed(rows)
    officer = User.objects.create(username="bench-officer")
    RoleAssignment.objects.create(user=officer, role="project_officer", scope_level="country")
    national_id, person = _target(officer)
    counts = {
        "persons": Person.objects.count(),
        "memberships": Membership.objects.count(),
    }

    def baseline() -> None:
        found = Person.objects.get(national_id_index=blind_index(national_id))
        list(Membership.objects.filter(person=found).select_related("organization"))

    def export() -> None:
        services.person_export(Person.objects.get(pk=person.pk))

    out = Path(tempfile.mkdtemp()) / "export.json"

    def command() -> None:
        with open(os.devnull, "w") as sink:
            call_command("dsr_export", "--national-id", national_id, "--output", str(out), stdout=sink)

    base, base_cold, _ = _median_s(baseline, REPEATS)
    exp, exp_cold, exp_all = _median_s(export, REPEATS)
    cmd, cmd_cold, cmd_all = _median_s(command, REPEATS)
    data = json.loads(out.read_text(encoding="utf-8"))
    return {
        "vendor": connection.vendor,
        **seeded,
        **counts,
        "export_counts": data["counts"],
        "baseline_ms": round(base * 1000, 2),
        "baseline_cold_ms": round(base_cold * 1000, 2),
        "export_ms": round(exp * 1000, 2),
        "export_cold_ms": round(exp_cold * 1000, 2),
        "export_runs_ms": [round(t * 1000, 1) for t in exp_all],
        "command_ms": round(cmd * 1000, 2),
        "command_cold_ms": round(cmd_cold * 1000, 2),
        "command_runs_ms": [round(t * 1000, 1) for t in cmd_all],
        "ratio_export_to_baseline": round(exp / base, 1),
        "ratio_command_to_baseline": round(cmd / base, 1),
        "goal_s": GOAL_S,
        "goal_met": max(cmd_cold, cmd) < GOAL_S,
    }


def _run_worker(env: dict[str, str], rows: int) -> dict[str, Any]:
    output = common.run_child(["-m", "bench.dsr_export", "--worker", "--rows", str(rows)], env, timeout=3600)
    return common.last_json_line(output)


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    url = os.environ.get("DATABASE_URL", "")
    with common.temp_dir(NAME) as tmp:
        if url.startswith("postgres"):
            figures = common.with_postgres_database(url, Path(tmp), lambda env: _run_worker(env, ROWS))
        else:
            figures = _run_worker(common.fresh_env(Path(tmp)), ROWS)
    return {
        "benchmark": NAME,
        "machine": common.machine_info(figures["vendor"], load_at_start=load_at_start),
        "setup": {
            "rows": ROWS,
            "organizations": ORGANIZATIONS,
            "tickets": TICKETS,
            "repeats": REPEATS,
            "baseline": "Person by blind index + its memberships (2 queries)",
            "export": "codi.privacy.services.person_export (all collectors)",
            "command": "manage.py dsr_export via call_command (request logged+verified, export, audit, JSON file)",
        },
        "result": figures,
        "goal_met": figures["goal_met"],
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    r = result["result"]
    return (
        f"   {r['vendor']}: {r['persons']:,} persons / {r['memberships']:,} memberships; "
        f"dsr_export command {r['command_ms']:.0f} ms (cold {r['command_cold_ms']:.0f} ms), "
        f"collectors {r['export_ms']:.0f} ms, baseline {r['baseline_ms']:.1f} ms "
        f"(x{r['ratio_command_to_baseline']}); goal < {r['goal_s']} s: {r['goal_met']}"
    )


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    if not args.worker:
        parser.error("run it with python -m bench.run dsr_export")
    print(json.dumps(_worker(args.rows)))


if __name__ == "__main__":
    _main()
