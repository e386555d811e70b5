"""ocr_pages: pages per minute through the document pipeline's OCR path on 2 cores.

The four committed degraded scans (``tests/documents/data/scan_*.jpg``, made by
``scripts/make_ocr_samples.py``) are put into image-only PDFs of 4 pages each. A
document worker handles one document at a time, so "2 cores" is two worker
processes, each reading its own PDFs (``DOCUMENTS`` in all) the way
``version_process`` does: pypdfium2 takes each page's scan (or renders the
page at 300 dpi when it is not a single scan), Tesseract
``tha+eng`` reads it (one OpenMP thread per Tesseract), PyThaiNLP normalises it.

Baseline in the same run: the bare ``tesseract`` command on the same page
images the pipeline reads (each page's scan at its own resolution, as PNG on
disk), with the same two processes. The ratio
``pipeline / bare`` shows what rendering, normalising and the pipeline cost on
top of Tesseract itself. The character accuracy (1 − CER) of the pipeline's
text is reported as well.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench import common

NAME = "ocr_pages"
DATA = common.REPO / "tests" / "documents" / "data"
DOCUMENTS = int(os.environ.get("OCR_BENCH_DOCUMENTS", "4"))
PROCESSES = 2
ROUNDS = int(os.environ.get("OCR_BENCH_ROUNDS", "3"))


def _scans_pdf() -> bytes:
    from PIL import Image

    images = [Image.open(path).convert("RGB") for path in sorted(DATA.glob("scan_*.jpg"))]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def _pipeline_document(pdf: bytes) -> list[str]:
    import django

    django.setup()
    from codi.documents import files
    from codi.documents.ocr import ocr_image

    return [page.text for page in files.extract_pages(pdf, files.PDF, ocr=ocr_image, dpi=300)]


def _bare_page(path: str) -> str:
    done = subprocess.run(
        ["tesseract", path, "stdout", "-l", "tha+eng", "--psm", "6", "--dpi", "300"],
        capture_output=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        check=True,
    )
    return done.stdout.decode()


def _worker() -> dict[str, Any]:
    import django

    django.setup()
    import pypdfium2 as pdfium

    from codi.documents.files import page_ocr_image
    from codi.documents.ocr import character_error_rate

    sys.path.insert(0, str(common.REPO / "scripts"))
    from make_ocr_samples import letters

    pdf = _scans_pdf()
    pages_per_document = len(letters())
    pages = DOCUMENTS * pages_per_document * ROUNDS
    # The bare baseline reads the very page images the pipeline renders.
    with common.temp_dir("ocr") as tmp:
        document = pdfium.PdfDocument(pdf)
        paths = []
        for index in range(len(document)):
            path = Path(tmp) / f"page{index}.png"
            page_ocr_image(document[index], 300).save(path)
            paths.append(str(path))
        document.close()
        with ProcessPoolExecutor(PROCESSES) as pool:
            list(pool.map(_pipeline_document, [pdf] * PROCESSES))  # warm both workers (imports, dictionaries)
            # Alternate the two, ROUNDS times each, so a burst of load elsewhere hits both alike.
            pipeline_s = bare_s = 0.0
            for _ in range(ROUNDS):
                t0 = time.perf_counter()
                texts = list(pool.map(_pipeline_document, [pdf] * DOCUMENTS))
                pipeline_s += time.perf_counter() - t0
                t0 = time.perf_counter()
                list(pool.map(_bare_page, paths * DOCUMENTS))
                bare_s += time.perf_counter() - t0
    accuracy = [1 - character_error_rate(ref, got) for ref, got in zip(letters(), texts[0], strict=True)]
    return {
        "documents": DOCUMENTS * ROUNDS,
        "pages": pages,
        "processes": PROCESSES,
        "pipeline_s": round(pipeline_s, 2),
        "pipeline_pages_per_minute": round(pages / pipeline_s * 60, 1),
        "bare_tesseract_s": round(bare_s, 2),
        "bare_tesseract_pages_per_minute": round(pages / bare_s * 60, 1),
        "pipeline_vs_bare_time_ratio": round(pipeline_s / bare_s, 3),
        "character_accuracy_min": round(min(accuracy), 4),
        "character_accuracy_mean": round(sum(accuracy) / len(accuracy), 4),
    }


def run() -> dict[str, Any]:
    load = common.load_average()
    with common.temp_dir("ocr-pages") as var_dir:
        output = common.run_child(
            ["-m", "bench.ocr_pages", "--worker"], common.fresh_env(Path(var_dir)), timeout=1800
        )
    result = common.last_json_line(output)
    return {
        **result,
        "note": "each page is a degraded 200-dpi scan of a short letter (~1,400×550 px, 6 lines); "
        "a full A4 page holds 3-4× the text and takes about that much longer",
        "goals": {},
        "goal_met": True,
        "machine": common.machine_info("sqlite", load_at_start=load),
    }


def summary(result: dict[str, Any]) -> str:
    return (
        f"   {result['pages']} pages on {result['processes']} processes: pipeline "
        f"{result['pipeline_pages_per_minute']} pages/min, bare tesseract {result['bare_tesseract_pages_per_minute']} "
        f"pages/min (ratio {result['pipeline_vs_bare_time_ratio']}×), accuracy ≥ {result['character_accuracy_min']}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.parse_args()
    print(json.dumps(_worker()))
