"""pades_sign: PAdES B-LT signing through the platform service vs bare pyHanko, same files, same run.

In one child process (fresh SQLite file, Django set up once):

- ``platform``: ``codi.signatures.services.pdf_sign(signer=..., pdf=..., reason=..., visible=True)``:
  finds the signer's certificate, opens the sealed keys, checks the CRLs are fresh, signs with a
  visible Thai stamp, a signature timestamp from the platform TSA (in process) and the chain +
  CRLs embedded (B-LT), then writes the audit entry;
- ``bare``: pyHanko called directly with every object made once beforehand (signer with the key
  in memory, validation context with the same CRLs, the same in-process TSA, the same stamp style
  and font): only ``PdfSigner(...).sign_pdf`` per document.

Documents: Thai letters made by WeasyPrint (``codi.core.pdf.html_to_pdf``), one and three pages. Batches interleaved, rotating which variant goes first.

Goal (issue): platform overhead <= 1.3x bare pyHanko (time per document).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from bench import common

NAME = "pades_sign"
BATCHES = 8
DOCS = 4
WARMUP = 2
GOAL_RATIO = 1.3


def _documents() -> list[bytes]:
    from codi.core.pdf import font_faces_css, html_to_pdf

    paragraph = (
        "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน) ขอแจ้งผลการพิจารณาโครงการพัฒนาที่อยู่อาศัยของชุมชน "
        "ซึ่งคณะกรรมการได้อนุมัติงบประมาณตามที่เสนอ จึงเรียนมาเพื่อโปรดทราบและดำเนินการต่อไป "
    )
    docs = []
    for pages in (1, 3, 1, 3):
        body = "".join(
            f"<p>{paragraph * 6}</p><p style='page-break-after: always'></p>" for _ in range(pages)
        )
        html = (
            f"<html lang='th'><head><meta charset='utf-8'><style>{font_faces_css()} "
            "body { font-family: Sarabun; font-size: 16pt }</style></head>"
            f"<body><h1>หนังสือราชการ ที่ พอช. {len(docs) + 1}/2569</h1>{body}</body></html>"
        )
        docs.append(html_to_pdf(html))
    return docs


def _worker(batches: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)

    from asn1crypto import keys
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from codi.core.thaidate import thai_date
    from codi.identity.models import User
    from codi.signatures import pades, services
    from codi.signatures.models import SigningCertificate
    from codi.signatures.tsa import in_process_timestamper

    services.pki_init()
    user = User.objects.create(username="bench_signer", name_th="ผู้ลงนาม ทดสอบ", position="ผู้อำนวยการ")
    services.certificate_issue(actor=None, user=user, second_factor_verified=True)
    certificate = SigningCertificate.objects.get(user=user)
    docs = _documents()

    # Bare pyHanko: everything made once, as a hand-written script would.
    setup = services._signing_setup(certificate)
    cms_signer = signers.SimpleSigner(
        signing_cert=pades._asn1_cert(setup.signer.cert_der),
        signing_key=keys.PrivateKeyInfo.load(setup.signer.key_der),
        cert_registry=SimpleCertificateStore.from_certs(
            [pades._asn1_cert(d) for d in setup.signer.chain_der]
        ),
    )
    vc = pades._validation_context(setup.trust)
    timestamper = in_process_timestamper(setup.tsa)
    stamp_style = TextStampStyle(
        stamp_text=pades.STAMP_TEXT,
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(pades.FONT_PATH), font_size=pades.STAMP_FONT_SIZE),
            leading=pades.STAMP_LEADING,
        ),
        border_width=1,
    )
    params = {"name": certificate.subject_name, "position": certificate.position, "date": ""}

    def bare(pdf: bytes) -> bytes:
        params["date"] = thai_date(timezone.now(), with_time=True)
        meta = signers.PdfSignatureMetadata(
            field_name="Sig1",
            md_algorithm="sha256",
            reason="อนุมัติ",
            subfilter=SigSeedSubFilter.PADES,
            embed_validation_info=True,
            validation_context=vc,
        )
        spec = fields.SigFieldSpec(sig_field_name="Sig1", on_page=-1, box=(36, 36, 216, 90))
        pdf_signer = signers.PdfSigner(
            meta, cms_signer, timestamper=timestamper, stamp_style=stamp_style, new_field_spec=spec
        )
        out = pdf_signer.sign_pdf(
            IncrementalPdfFileWriter(BytesIO(pdf), strict=False), appearance_text_params=params
        )
        return bytes(out.getbuffer())

    def platform(pdf: bytes) -> bytes:
        return services.pdf_sign(signer=user, pdf=pdf, reason="อนุมัติ", visible=True)

    variants = {"platform": platform, "bare": bare}
    for fn in variants.values():
        for doc in docs[:WARMUP]:
            fn(doc)
    # Sanity: both outputs validate as trusted B-LT signatures.
    checks = {name: services.pdf_verify(pdf=fn(docs[0])).is_valid for name, fn in variants.items()}

    per_doc: dict[str, list[float]] = {name: [] for name in variants}
    per_doc_cpu: dict[str, list[float]] = {name: [] for name in variants}
    batch_rate: dict[str, list[float]] = {name: [] for name in variants}
    order = list(variants)
    started = time.perf_counter()
    for batch in range(batches):
        rotated = order[batch % len(order) :] + order[: batch % len(order)]
        for name in rotated:
            fn = variants[name]
            gc.collect()
            t_batch = time.perf_counter()
            for doc in docs:
                t0, c0 = time.perf_counter(), time.process_time()
                fn(doc)
                per_doc[name].append(time.perf_counter() - t0)
                per_doc_cpu[name].append(time.process_time() - c0)
            batch_rate[name].append(len(docs) / (time.perf_counter() - t_batch))

    def stats(name: str) -> dict[str, Any]:
        values = per_doc[name]
        return {
            "documents": len(values),
            "docs_per_s": round(len(values) / sum(values), 2),
            "median_ms": round(statistics.median(values) * 1e3, 1),
            "p95_ms": round(common.percentile(values, 95) * 1e3, 1),
            "batch_docs_per_s": [round(r, 2) for r in batch_rate[name]],
            # CPU time of this process per document: steadier than wall time on a shared machine
            # (signing is CPU-bound; SQLite's work is in-process and counted too).
            "cpu_docs_per_s": round(len(values) / sum(per_doc_cpu[name]), 2),
            "cpu_median_ms": round(statistics.median(per_doc_cpu[name]) * 1e3, 1),
        }

    return {
        "variants": {name: stats(name) for name in variants},
        "outputs_valid": checks,
        "document_sizes_kb": [round(len(d) / 1024, 1) for d in docs],
        "measure_s": round(time.perf_counter() - started, 1),
    }


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    with common.temp_dir(NAME) as tmp:
        raw = common.last_json_line(
            common.run_child(
                ["-m", "bench.pades_sign", "--worker", "--batches", str(BATCHES)],
                common.fresh_env(Path(tmp)),
                timeout=900,
            )
        )
    v = raw["variants"]
    ratio = v["bare"]["docs_per_s"] / v["platform"]["docs_per_s"]
    ratio_median = v["platform"]["median_ms"] / v["bare"]["median_ms"]
    ratio_cpu = v["bare"]["cpu_docs_per_s"] / v["platform"]["cpu_docs_per_s"]
    return {
        "benchmark": NAME,
        "machine": common.machine_info("sqlite", load_at_start=load_at_start),
        "setup": {
            "platform": "codi.signatures.services.pdf_sign(signer, pdf, reason, visible=True): B-LT, TSA in process, audit",
            "baseline": "pyHanko PdfSigner.sign_pdf with signer, validation context, TSA and stamp style made once",
            "documents": "Thai letters from WeasyPrint, 1 and 3 pages",
            "batches": BATCHES,
            "documents_per_batch": DOCS,
            "order": "variants interleaved per batch, rotating which goes first",
        },
        **raw,
        "ratio": round(ratio, 3),
        "ratio_median": round(ratio_median, 3),
        "ratio_cpu": round(ratio_cpu, 3),
        "goal": f"platform time per document <= {GOAL_RATIO}x bare pyHanko (documents/s ratio)",
        "goal_met": ratio <= GOAL_RATIO and all(raw["outputs_valid"].values()),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    v = result["variants"]
    return (
        f"   platform {v['platform']['docs_per_s']:.2f} docs/s (median {v['platform']['median_ms']:.0f} ms), "
        f"bare pyHanko {v['bare']['docs_per_s']:.2f} docs/s (median {v['bare']['median_ms']:.0f} ms) "
        f"-> overhead {result['ratio']:.2f}x (goal <= {GOAL_RATIO}x; CPU time {result['ratio_cpu']:.2f}x, "
        f"median {result['ratio_median']:.2f}x); outputs valid: {result['outputs_valid']}"
    )


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--batches", type=int, default=BATCHES)
    args = parser.parse_args()
    if not args.worker:
        parser.error("run it with python -m bench.run pades_sign")
    print(json.dumps(_worker(args.batches)))


if __name__ == "__main__":
    _main()
