"""The failures the drill (bench/drill.py) causes under load, and the checks after them.

- **Member import**: a workbook of ``DRILL_IMPORT_ROWS`` members is uploaded and checked, its
  import queued, and the task worker writing it is ``kill -9``-ed. Then: no row of it may be in
  the database (one transaction), the job must be resumable (it stays "importing" until its
  heartbeat is ``STALE_AFTER`` old, when the uploader may retry it), and after the retry every
  row is there exactly once. The drill cannot wait the 10 minutes, so it ages the job's
  heartbeat by ``STALE_AFTER`` (the one thing it changes by hand) and retries as the uploader.
- **PostgreSQL restart** (``pg_ctl restart -m fast``) in a load phase of its own: answers other
  than 2xx/3xx/4xx may only fall in that phase.
- **Backup under load**: ``manage.py backup`` runs while the load runs; the archive is restored
  into a new, empty database (its own media folder), its checksums verified by the restore, and
  ``verify_audit`` must pass there as on the live database.

Children (``python -m bench.drill_failures CMD ...``) do the Django work in the drill's
environment; this module's functions drive them from the drill process.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench import common

IMPORT_ROWS = int(os.environ.get("DRILL_IMPORT_ROWS", "20000"))


# --- children ------------------------------------------------------------------------------------


def _setup() -> None:
    import django

    django.setup()


def _child_prepare_import(rows: int, workbook: Path) -> dict[str, Any]:
    _setup()
    from codi.communities import services
    from codi.communities.generator import generate_members
    from codi.communities.models import Organization, Person
    from codi.identity.models import RoleAssignment, User

    user, _ = User.objects.get_or_create(username="drill_importer", defaults={"name_th": "ผู้นำเข้าทดสอบ"})
    RoleAssignment.objects.get_or_create(
        user=user, role="project_officer", scope_level="country", scope_code=""
    )
    orgs = list(
        Organization.objects.exclude(registration_no="").values_list("registration_no", "subdistrict_id")
    )
    codes = sorted({code for _, code in orgs})
    generate_members(rows=rows, bad_share=0.0, subdistricts=codes, organizations=orgs, seed=2569).write(
        workbook
    )
    with workbook.open("rb") as handle:  # queues the dry run for a task worker
        job = services.import_job_create(actor=user, kind="members", file_name=workbook.name, content=handle)
    return {"job_id": job.pk, "persons_before": Person.objects.count()}


def _child_import_state(job_id: int) -> dict[str, Any]:
    _setup()
    from codi.communities.models import ImportJob, Membership, Person

    job = ImportJob.objects.get(pk=job_id)
    return {
        "status": job.status,
        "phase": job.phase,
        "processed_rows": job.processed_rows,
        "total_rows": job.total_rows,
        "created_count": job.created_count,
        "persons": Person.objects.count(),
        "memberships": Membership.objects.count(),
    }


def _child_import_commit(job_id: int) -> dict[str, Any]:
    _setup()
    from codi.communities import services
    from codi.communities.models import ImportJob

    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    services.import_job_request_commit(actor=job.created_by, job=job)  # queues the import task
    return {"queued": True}


def _child_import_resume(job_id: int) -> dict[str, Any]:
    _setup()
    from datetime import timedelta

    from django.db.models import F

    from codi.communities import services
    from codi.communities.models import ImportJob

    # Stands for the wait: the job's heartbeat is made STALE_AFTER older, nothing else is touched.
    ImportJob.objects.filter(pk=job_id).update(
        heartbeat_at=F("heartbeat_at") - services.STALE_AFTER - timedelta(seconds=1)
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    services.import_job_retry(actor=job.created_by, job=job)  # queues the dry run again
    return {"retried": True}


# --- driving them ----------------------------------------------------------------------------------


def _child(env: dict[str, str], *args: str, timeout: float = 600) -> dict[str, Any]:
    return common.last_json_line(
        common.run_child(["-m", "bench.drill_failures", *args], env, timeout=timeout)
    )


def import_prepare(env: dict[str, str], var_dir: Path) -> dict[str, Any]:
    """Upload the workbook and wait for the task workers' dry run to pass."""
    prepared = _child(
        env, "prepare-import", "--rows", str(IMPORT_ROWS), "--workbook", str(var_dir / "drill-members.xlsx")
    )
    prepared["check"] = import_wait(env, prepared["job_id"], {"checked", "invalid", "failed"}, timeout=600)
    return prepared


def import_state(env: dict[str, str], job_id: int) -> dict[str, Any]:
    return _child(env, "import-state", "--job", str(job_id), timeout=120)


def import_wait(env: dict[str, str], job_id: int, statuses: set[str], *, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        try:
            state = import_state(env, job_id)
        except RuntimeError:  # the database restarting: ask again
            time.sleep(1)
            continue
        if state["status"] in statuses:
            return state
        time.sleep(0.5)
    return state | {"timed_out": True}


def import_commit(env: dict[str, str], job_id: int) -> None:
    _child(env, "import-commit", "--job", str(job_id), timeout=120)


def import_resume(env: dict[str, str], job_id: int) -> None:
    _child(env, "import-resume", "--job", str(job_id), timeout=120)


def postgres_restart() -> dict[str, Any]:
    """``pg_ctl restart -m fast`` on the cluster scripts/with-postgres.sh started; its wall time."""
    data, bindir = os.environ.get("CODI_PG_DATA", ""), os.environ.get("CODI_PG_BINDIR", "")
    if not data or not bindir:
        return {"restarted": False, "why": "CODI_PG_DATA / CODI_PG_BINDIR not set (run under make drill)"}
    run_as = os.environ.get("CODI_PG_RUN_AS", "").split()
    # The restarted server writes its log to a file next to the cluster (-l): were it given our pipe,
    # it would hold it open and we would wait for its end forever.
    log = str(Path(data).parent / "restart.log")
    started = time.monotonic()
    done = subprocess.run(
        [*run_as, f"{bindir}/pg_ctl", "-D", data, "-l", log, "-m", "fast", "-w", "-t", "60", "restart"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    return {
        "restarted": done.returncode == 0,
        "seconds": round(time.monotonic() - started, 2),
        "output": done.stdout[-500:],
    }


def backup_start(env: dict[str, str], archive: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [common.PYTHON, "manage.py", "backup", "--output", str(archive)],
        cwd=common.REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [common.PYTHON, "manage.py", *args], cwd=common.REPO, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip


def _count(url: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


_COUNTS = {
    "organizations": "SELECT count(*) FROM communities_organization",
    "audit_entries": "SELECT count(*) FROM core_auditentry",
}


def backup_restore_check(env: dict[str, str], var_dir: Path, archive: Path) -> dict[str, Any]:
    """Restore ``archive`` into a new database with its own media folder; verify_audit there."""
    from urllib.parse import urlparse, urlunparse

    import psycopg

    live = env["DATABASE_URL"]
    parsed = urlparse(live)
    name = f"codi_drill_restore_{secrets.token_hex(4)}"
    admin = urlunparse(parsed._replace(scheme="postgresql"))
    restore_var = var_dir / "restored"
    restore_var.mkdir(exist_ok=True)
    for key in ("secret_key", "field_encryption_key", "blind_index_key", "oidc_rsa_private_key"):
        if (var_dir / key).exists():
            shutil.copy2(var_dir / key, restore_var / key)
    target = urlunparse(parsed._replace(path=f"/{name}"))
    restored_env = {**env, "DATABASE_URL": target, "CODI_VAR_DIR": str(restore_var)}
    restored_env.pop("MEDIA_ROOT", None)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        restore = _manage(restored_env, "restore", str(archive), "--yes")
        audit = _manage(restored_env, "verify_audit")
        counts = {k: _count(target, sql) for k, sql in _COUNTS.items()} if restore.returncode == 0 else {}
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {
        "restored": restore.returncode == 0,
        "restore_output": (restore.stdout + restore.stderr).strip()[-600:],
        "checksums_verified": restore.returncode == 0,  # the restore refuses any member that does not match
        "verify_audit_ok_on_restored": audit.returncode == 0,
        "verify_audit_output": (audit.stdout + audit.stderr).strip()[-300:],
        "restored_counts": counts,
    }


def live_counts(env: dict[str, str]) -> dict[str, int]:
    return {k: _count(env["DATABASE_URL"], sql) for k, sql in _COUNTS.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "command", choices=["prepare-import", "import-state", "import-commit", "import-resume"]
    )
    parser.add_argument("--rows", type=int, default=IMPORT_ROWS)
    parser.add_argument("--workbook", type=Path)
    parser.add_argument("--job", type=int)
    args = parser.parse_args()
    if args.command == "prepare-import":
        out = _child_prepare_import(args.rows, args.workbook)
    elif args.command == "import-state":
        out = _child_import_state(args.job)
    elif args.command == "import-commit":
        out = _child_import_commit(args.job)
    else:
        out = _child_import_resume(args.job)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
