"""The drill's second set of interruptions (bench/drill.py, window D), and the checks after them.

- **Statute embedding**: the bundled Acts are imported (lexical only) before the load; during it
  ``embed_task`` is queued for their sections and the task worker running it is ``kill -9``-ed
  once some batches are written and others are not. The task goes back in the queue (the
  workers' heartbeats), another worker resumes from the sections still without a vector; after:
  every section has one vector, the number of chunks is unchanged.
- **Document OCR**: a 4-page image-only PDF (the committed degraded scans) is uploaded; the task
  worker is ``kill -9``-ed while the version's status is "ocr". After: the version is indexed
  once — one ``documents.version.process`` audit entry, every page read by OCR, one search chunk.
- **Installment disbursements**: ``DRILL_DISBURSEMENTS`` projects at the payment step are paid
  through the partner API (POST ``…/installments/{id}/disburse`` with an idempotency key) by 3
  clients while one gunicorn worker is ``kill -9``-ed; a client whose request died with its worker
  retries with the same key, as a partner would. After: each installment paid exactly once, one
  disbursement row each, the budget lines' totals equal to the sum of the installments.

Children (``python -m bench.drill_work CMD``) do the Django work in the drill's environment.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench import common

ACTS_BYTES = int(os.environ.get("DRILL_ACTS_BYTES", "300000"))
DISBURSEMENTS = int(os.environ.get("DRILL_DISBURSEMENTS", "24"))
DATA = common.REPO / "tests" / "documents" / "data"
OCR_AREA = "400104"


def _setup() -> None:
    import django

    django.setup()


# --- children ------------------------------------------------------------------------------------


def _child_prepare() -> dict[str, Any]:
    """Bundled Acts (lexical index only) and projects waiting for their first installment."""
    _setup()
    from django.core.management import call_command
    from tests.projects.factories import APPROVED, Cast, project_at

    from codi.identity.services import api_key_create
    from codi.knowledge.models import SECTION_SOURCE
    from codi.knowledge.services import BUNDLED_DIR
    from codi.projects.models import Installment
    from codi.search.models import Chunk

    # The smallest bundled Acts up to ACTS_BYTES of text (about 150 sections): enough batches to be
    # cut in the middle, few enough to finish within the drill on 2 shared cores.
    acts = Path(tempfile.mkdtemp(prefix="drill-acts-"))
    shutil.copy2(BUNDLED_DIR / "index.csv", acts / "index.csv")
    taken = 0
    for path in sorted(BUNDLED_DIR.glob("*.txt"), key=lambda p: p.stat().st_size):
        if taken >= ACTS_BYTES:
            break
        shutil.copy2(path, acts / path.name)
        taken += path.stat().st_size
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("import_statutes", "--dir", str(acts), "--embed", "none", verbosity=0)
    shutil.rmtree(acts, ignore_errors=True)
    cast = Cast.create()
    payments = []
    for _ in range(DISBURSEMENTS):
        project = project_at("disburse", cast=cast, installments=(APPROVED,))
        first = Installment.objects.filter(project=project).order_by("number").first()
        assert first is not None
        payments.append([project.pk, first.pk, str(first.amount)])
    _key, raw = api_key_create(
        actor=None, user=cast.finance, name="drill-finance", rate_limit_per_minute=10**9
    )
    return {
        "sections": Chunk.objects.filter(source=SECTION_SOURCE).count(),
        "payments": payments,
        "finance_key": raw,
        "officer_id": cast.officer.pk,
    }


def _scans_pdf() -> bytes:
    from PIL import Image

    images = [Image.open(path).convert("RGB") for path in sorted(DATA.glob("scan_*.jpg"))]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def _child_start(officer_id: int) -> dict[str, Any]:
    """Queue the statute embedding and upload the scanned document (its OCR is queued on commit)."""
    _setup()
    from codi.documents import services as documents
    from codi.identity.models import User
    from codi.knowledge.models import SECTION_SOURCE
    from codi.search.tasks import embed_task

    embed = embed_task.enqueue(SECTION_SOURCE)
    officer = User.objects.get(pk=officer_id)
    version = documents.document_create(
        actor=officer,
        fields=documents.DocumentFields(title="หนังสือสแกนสำหรับซ้อมรับมือเหตุขัดข้อง", area_code=OCR_AREA),
        data=_scans_pdf(),
        filename="drill-scan.pdf",
    )
    return {"embed_task": str(embed.id), "version_id": version.pk, "pages": version.page_count}


def _child_state(version_id: int, installments: list[int]) -> dict[str, Any]:
    _setup()
    from django.db.models import Count, Sum

    from codi.core.models import AuditEntry
    from codi.documents.models import DocumentVersion
    from codi.knowledge.models import SECTION_SOURCE
    from codi.projects.models import BudgetLine, Disbursement, Installment
    from codi.search.models import Chunk

    sections = Chunk.objects.filter(source=SECTION_SOURCE)
    version = DocumentVersion.objects.filter(pk=version_id).first() if version_id else None
    paid = Disbursement.objects.filter(installment_id__in=installments)
    per_installment = paid.values("installment_id").annotate(n=Count("id"))
    return {
        "sections": sections.count(),
        "sections_embedded": sections.filter(embedding__isnull=False).count(),
        "section_ids_distinct": sections.values("object_id").distinct().count(),
        "ocr": None
        if version is None
        else {
            "status": version.status,
            "pages": version.page_count,
            "ocr_pages": version.ocr_pages,
            "characters": len(version.text),
            "process_audit_entries": AuditEntry.objects.filter(
                action="documents.version.process", object_id=str(version.pk)
            ).count(),
            "document_chunks": Chunk.objects.filter(
                source="documents.document", object_id=str(version.document_id)
            ).count(),
        },
        "disbursement_rows": paid.count(),
        "installments_paid_more_than_once": sum(1 for row in per_installment if row["n"] > 1),
        "installments_marked_disbursed": Installment.objects.filter(
            pk__in=installments, status="disbursed"
        ).count(),
        "disbursed_total": str(paid.aggregate(total=Sum("amount"))["total"] or 0),
        "installments_total": str(
            Installment.objects.filter(pk__in=installments).aggregate(total=Sum("amount"))["total"] or 0
        ),
        "budget_lines_disbursed_total": str(
            BudgetLine.objects.filter(disbursements__installment_id__in=installments)
            .distinct()
            .aggregate(total=Sum("disbursed"))["total"]
            or 0
        ),
        "disburse_audit_entries": AuditEntry.objects.filter(
            action__contains="disburse", object_id__in=[str(i) for i in installments]
        ).count(),
    }


# --- driving them ----------------------------------------------------------------------------------


def _child(env: dict[str, str], *args: str, timeout: float = 600) -> dict[str, Any]:
    return common.last_json_line(common.run_child(["-m", "bench.drill_work", *args], env, timeout=timeout))


def prepare(env: dict[str, str]) -> dict[str, Any]:
    return _child(env, "prepare", timeout=1200)


def start(env: dict[str, str], officer_id: int) -> dict[str, Any]:
    return _child(env, "start", "--officer", str(officer_id))


def state(env: dict[str, str], version_id: int, installments: list[int]) -> dict[str, Any]:
    return _child(
        env,
        "state",
        "--version",
        str(version_id),
        "--installments",
        ",".join(map(str, installments)),
        timeout=120,
    )


def disburse_all(port: int, key: str, payments: list[list[Any]], *, clients: int = 3) -> dict[str, Any]:
    """Pay every installment through the API; a request lost with its worker is retried with its key."""
    queue = list(payments)
    lock = threading.Lock()
    outcome: dict[str, Any] = {"answers": {}, "retries_after_lost_request": 0, "unpaid": [], "seconds": 0.0}

    def client() -> None:
        while True:
            with lock:
                if not queue:
                    return
                project_id, installment_id, _amount = queue.pop(0)
            body = json.dumps({"idempotency_key": f"drill-pay-{installment_id}", "reference": "drill"})
            path = f"/api/v1/projects/projects/{project_id}/installments/{installment_id}/disburse"
            for attempt in range(8):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    conn.request(
                        "POST",
                        path,
                        body=body,
                        headers={"X-API-Key": key, "Content-Type": "application/json"},
                    )
                    status = conn.getresponse().status
                    conn.close()
                except (OSError, http.client.HTTPException):
                    status = 0
                with lock:
                    outcome["answers"][str(status)] = outcome["answers"].get(str(status), 0) + 1
                if status == 200:
                    break
                if status in (0, 502, 503, 504):
                    with lock:
                        outcome["retries_after_lost_request"] += 1
                    time.sleep(0.5 * (attempt + 1))
                    continue
                with lock:
                    outcome["unpaid"].append([installment_id, status])
                break

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    outcome["seconds"] = round(time.monotonic() - started, 2)
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["prepare", "start", "state"])
    parser.add_argument("--officer", type=int)
    parser.add_argument("--version", type=int, default=0)
    parser.add_argument("--installments", default="")
    args = parser.parse_args()
    if args.command == "prepare":
        out = _child_prepare()
    elif args.command == "start":
        out = _child_start(args.officer)
    else:
        out = _child_state(args.version, [int(i) for i in args.installments.split(",") if i])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
