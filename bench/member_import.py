"""member_import: 100,000 members from an .xlsx file, against a raw bulk insert of the same rows.

One run, on a fresh SQLite file (and on PostgreSQL too when ``DATABASE_URL``
starts with ``postgres``; a temporary database is created there and dropped):

1. ``setup`` child: migrate, load the areas, register 500 organizations (with
   registration numbers) and one country-wide project officer, and write the
   workbook with ``codi.communities.generator`` (valid national IDs, Thai
   names, real subdistrict codes; members spread over the organizations, each
   row one person and one membership). Not timed.
2. ``import`` child (timed; its peak RSS is the memory figure): the path a
   user takes — ``import_job_create`` (the file encrypted into storage),
   ``import_job_check`` (the dry run), ``import_job_request_commit`` and
   ``import_job_commit`` (the file checked again, then every row written in
   one transaction). Then the same file once more: nothing new may be written.
3. ``raw`` child, on a copy of the database taken before the import: the same
   rows with no file, no checks and no audit, in one transaction, twice — the
   importer's own insert path (SQLite ``executemany``, PostgreSQL ``COPY``) over
   values prepared before the clock starts, and ``Person``/``Membership``
   ``bulk_create`` in batches of 1,000 (encryption inside the timed part).

Goals (issue): import >= 2,000 rows/s (rows / commit time, the re-check
included) and peak memory <= 500 MB (ru_maxrss of the import process).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

from bench import common

NAME = "member_import"
ROWS = 100_000
ORGANIZATIONS = 500
SEED = 2569
GOAL_ROWS_PER_S = 2000
GOAL_PEAK_MB = 500


def _setup_django() -> None:
    import django

    django.setup()


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


# --- children ------------------------------------------------------------------------------------


def _setup(rows: int, workbook: Path) -> dict[str, Any]:
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)

    from codi.areas.models import Subdistrict
    from codi.communities.generator import generate_members
    from codi.communities.models import Organization
    from codi.identity.models import RoleAssignment, User

    codes = list(Subdistrict.objects.order_by("code").values_list("code", flat=True))
    step = max(1, len(codes) // ORGANIZATIONS)
    Organization.objects.bulk_create(
        [
            Organization(
                name_th=f"กลุ่มออมทรัพย์ทดสอบ {i:04d}",
                org_type="savings_group",
                registration_no=f"BENCH-{i:04d}",
                subdistrict_id=codes[(i * step) % len(codes)],
            )
            for i in range(ORGANIZATIONS)
        ]
    )
    user = User.objects.create_user(username="bench_officer", name_th="เจ้าหน้าที่ทดสอบ")
    RoleAssignment.objects.create(user=user, role="project_officer", scope_level="country", scope_code="")
    orgs = list(Organization.objects.values_list("registration_no", "subdistrict_id"))
    started = time.perf_counter()
    generated = generate_members(rows=rows, bad_share=0.0, subdistricts=codes, organizations=orgs, seed=SEED)
    generated.write(workbook)
    return {
        "workbook_bytes": workbook.stat().st_size,
        "generate_and_write_s": round(time.perf_counter() - started, 1),
    }


def _import(workbook: Path) -> dict[str, Any]:
    _setup_django()
    from django.db import connection

    from codi.communities import services
    from codi.communities.models import ImportStatus, Membership, Person
    from codi.core.audit import verify_chain
    from codi.identity.models import User

    user = User.objects.get(username="bench_officer")
    baseline_mb = _peak_mb()

    def run_once() -> dict[str, Any]:
        t0 = time.perf_counter()
        with workbook.open("rb") as handle:
            job = services.import_job_create(
                actor=user, kind="members", file_name=workbook.name, content=handle
            )
        t1 = time.perf_counter()
        services.import_job_check(job_id=job.pk)
        t2 = time.perf_counter()
        job.refresh_from_db()
        if job.status != ImportStatus.CHECKED:
            raise RuntimeError(f"dry run did not pass: {job.status} {job.message_en} {job.errors[:3]}")
        services.import_job_request_commit(actor=user, job=job)
        t3 = time.perf_counter()
        services.import_job_commit(job_id=job.pk)
        t4 = time.perf_counter()
        job.refresh_from_db()
        if job.status != ImportStatus.COMMITTED:
            raise RuntimeError(f"import failed: {job.status} {job.message_en}")
        return {
            "upload_s": round(t1 - t0, 2),
            "dry_run_s": round(t2 - t1, 2),
            "commit_s": round(t4 - t3, 2),
            "rows": job.total_rows,
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
            "memberships": job.summary,
        }

    first = run_once()
    persons_after_first = Person.objects.count()
    again = run_once()
    return {
        "vendor": connection.vendor,
        "database_version": ".".join(str(x) for x in connection.Database.sqlite_version_info)
        if connection.vendor == "sqlite"
        else str(connection.pg_version),  # type: ignore[attr-defined]
        "first_import": first,
        "second_import_same_file": again,
        "persons": Person.objects.count(),
        "persons_after_first_import": persons_after_first,
        "memberships": Membership.objects.count(),
        "chain_intact": verify_chain().is_intact,
        "baseline_rss_mb": baseline_mb,
        "peak_rss_mb": _peak_mb(),
    }


def _raw(rows: int) -> dict[str, Any]:
    _setup_django()
    from django.db import connection, transaction

    from codi.areas.models import Subdistrict
    from codi.communities.crypto import blind_index
    from codi.communities.generator import generate_members
    from codi.communities.models import Membership, Organization, Person
    from codi.communities.validation import mask_national_id

    codes = list(Subdistrict.objects.order_by("code").values_list("code", flat=True))
    orgs = list(Organization.objects.values_list("registration_no", "subdistrict_id"))
    org_ids = dict(Organization.objects.values_list("registration_no", "pk"))
    generated = generate_members(rows=rows, bad_share=0.0, subdistricts=codes, organizations=orgs, seed=SEED)
    persons = [
        Person(
            national_id=r[0],
            national_id_index=blind_index(r[0]),
            national_id_masked=mask_national_id(r[0]),
            title_th=r[1],
            first_name_th=r[2],
            last_name_th=r[3],
            birth_year=r[4] - 543,
            gender="male" if r[5] == "ชาย" else "female",
            phone=r[6],
            address=r[7],
            subdistrict_id=r[8],
        )
        for r in generated.rows
    ]
    from django.utils import timezone

    from codi.communities.importing import (
        MEMBERSHIP_INSERT,
        PERSON_INSERT,
        MemberRow,
        _insert,
        person_insert_values,
    )

    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    person_values = [
        person_insert_values(
            MemberRow(0, p.national_id_index, p.national_id, p.title_th, p.first_name_th, p.last_name_th,
                      p.birth_year, p.gender, p.phone, p.address, p.subdistrict_id, None, "member", None),
            stamp,
        )
        for p in persons
    ]  # fmt: skip
    t0 = time.perf_counter()
    with transaction.atomic():
        for start in range(0, len(person_values), 1000):
            _insert(Person, PERSON_INSERT, person_values[start : start + 1000])
        ids = dict(Person.objects.values_list("national_id_index", "pk"))
        membership_values = [
            (ids[p.national_id_index], org_ids[r[9]], "member", None, None, stamp, stamp)
            for p, r in zip(persons, generated.rows, strict=True)
        ]
        for start in range(0, len(membership_values), 1000):
            _insert(Membership, MEMBERSHIP_INSERT, membership_values[start : start + 1000])
    executemany_s = time.perf_counter() - t0
    with transaction.atomic():
        Membership.objects.all().delete()
        Person.objects.all().delete()
    t0 = time.perf_counter()
    with transaction.atomic():
        created = Person.objects.bulk_create(persons, batch_size=1000)
        Membership.objects.bulk_create(
            [
                Membership(person_id=p.pk, organization_id=org_ids[r[9]], role="member")
                for p, r in zip(created, generated.rows, strict=True)
            ],
            batch_size=1000,
        )
    elapsed = time.perf_counter() - t0
    return {
        "vendor": connection.vendor,
        "rows": len(persons),
        "insert_s": round(elapsed, 2),
        "rows_per_s": round(len(persons) / elapsed),
        "note": "bulk_create of Person (3 fields encrypted by the model field) and Membership, one transaction",
        "executemany": {
            "insert_s": round(executemany_s, 2),
            "rows_per_s": round(len(persons) / executemany_s),
            "note": "the importer's own insert path (SQLite: executemany; PostgreSQL: COPY) over values "
            "prepared beforehand (encryption, fingerprint: not timed)",
        },
    }


# --- parent ------------------------------------------------------------------------------------------


def _child(mode: str, env: dict[str, str], *extra: str, timeout: float = 1800) -> dict[str, Any]:
    output = common.run_child(["-m", "bench.member_import", "--worker", mode, *extra], env, timeout=timeout)
    return common.last_json_line(output)


def _database(env: dict[str, str], var_dir: Path, rows: int, copy_db: Any) -> dict[str, Any]:
    workbook = var_dir / "members.xlsx"
    setup = _child("setup", env, "--rows", str(rows), "--workbook", str(workbook))
    raw_env = copy_db(env)
    imported = _child("import", env, "--workbook", str(workbook))
    raw = _child("raw", raw_env, "--rows", str(rows))
    first = imported["first_import"]
    rows_per_s = rows / first["commit_s"]
    return {
        **setup,
        "import": imported,
        "raw_bulk_insert": raw,
        "import_rows_per_s": round(rows_per_s),
        "dry_run_rows_per_s": round(rows / first["dry_run_s"]),
        "end_to_end_rows_per_s": round(rows / (first["upload_s"] + first["dry_run_s"] + first["commit_s"])),
        "import_vs_raw": round(raw["rows_per_s"] / rows_per_s, 2),
        "no_duplicates_on_reimport": imported["persons"] == imported["persons_after_first_import"] == rows
        and imported["second_import_same_file"]["created"] == 0,
        "goal_met": rows_per_s >= GOAL_ROWS_PER_S and imported["peak_rss_mb"] <= GOAL_PEAK_MB,
    }


def _sqlite(rows: int, var_dir: Path) -> dict[str, Any]:
    env = common.fresh_env(var_dir)

    def copy_db(env: dict[str, str]) -> dict[str, str]:
        raw_dir = var_dir / "raw"
        raw_dir.mkdir(exist_ok=True)
        shutil.copy(var_dir / "codi.sqlite3", raw_dir / "codi.sqlite3")
        for key in ("secret_key", "field_encryption_key", "blind_index_key"):
            if (var_dir / key).exists():
                shutil.copy(var_dir / key, raw_dir / key)
        return common.fresh_env(raw_dir)

    return _database(env, var_dir, rows, copy_db)


def _postgres(url: str, rows: int, var_dir: Path) -> dict[str, Any]:
    import psycopg

    name = f"codi_bench_{secrets.token_hex(4)}"
    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(scheme="postgresql"))
    names = [name, f"{name}_raw"]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    pg_dir = var_dir / "pg"
    pg_dir.mkdir(exist_ok=True)
    env = common.fresh_env(pg_dir, DATABASE_URL=urlunparse(parsed._replace(path=f"/{name}")))

    def copy_db(env: dict[str, str]) -> dict[str, str]:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{names[1]}" TEMPLATE "{name}"')
        return {**env, "DATABASE_URL": urlunparse(parsed._replace(path=f"/{names[1]}"))}

    try:
        return _database(env, pg_dir, rows, copy_db)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for db in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def run(rows: int = ROWS) -> dict[str, Any]:
    started = time.monotonic()
    databases: dict[str, Any] = {}
    with common.temp_dir(NAME) as tmp:
        databases["sqlite"] = _sqlite(rows, Path(tmp))
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            databases["postgresql"] = _postgres(url, rows, Path(tmp))
    return {
        "benchmark": NAME,
        "machine": common.machine_info("+".join(databases)),
        "setup": {
            "rows": rows,
            "organizations": ORGANIZATIONS,
            "file": "one sheet, 12 columns, written by openpyxl (inline strings), valid rows only",
            "import": "import_job_create → import_job_check (dry run) → import_job_request_commit → "
            "import_job_commit (checks again, then writes in one transaction)",
            "baseline": "the same rows inserted with no file and no checks, one transaction: Person/Membership "
            "bulk_create (batches of 1,000, encryption inside), and the importer's executemany INSERT "
            "(encryption done before the clock starts)",
            "memory": "ru_maxrss of the import process (Django included)",
        },
        "goal": f"import >= {GOAL_ROWS_PER_S:,} rows/s (rows / commit time) and peak memory <= {GOAL_PEAK_MB} MB",
        "databases": databases,
        "goal_met": all(d["goal_met"] for d in databases.values()),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    lines = []
    for vendor, d in result["databases"].items():
        first = d["import"]["first_import"]
        lines.append(
            f"   {vendor}: {result['setup']['rows']:,} rows — dry run {first['dry_run_s']} s "
            f"({d['dry_run_rows_per_s']:,} rows/s), import {first['commit_s']} s ({d['import_rows_per_s']:,} rows/s), "
            f"raw bulk_create {d['raw_bulk_insert']['insert_s']} s ({d['raw_bulk_insert']['rows_per_s']:,} rows/s), "
            f"raw insert path {d['raw_bulk_insert']['executemany']['insert_s']} s "
            f"({d['raw_bulk_insert']['executemany']['rows_per_s']:,} rows/s); "
            f"peak {d['import']['peak_rss_mb']} MB; re-import created {d['import']['second_import_same_file']['created']}"
        )
    return "\n".join(lines)


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=["setup", "import", "raw"])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--workbook", type=Path)
    args = parser.parse_args()
    if args.worker == "setup":
        print(json.dumps(_setup(args.rows, args.workbook)))
    elif args.worker == "import":
        print(json.dumps(_import(args.workbook)))
    elif args.worker == "raw":
        print(json.dumps(_raw(args.rows)))
    else:  # stand-alone: python -m bench.member_import [--rows N]
        result = run(args.rows)
        path = common.write_result(NAME, result)
        print(summary(result))
        print(f"   goal met: {'yes' if result['goal_met'] else 'NO'}; {path.relative_to(common.REPO)}")


if __name__ == "__main__":
    _main()
