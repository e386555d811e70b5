"""geojson_levels: ``GET /api/v1/areas/geojson/{level}`` for every province, district and subdistrict.

One gunicorn (``sync-4``, what ``make run`` starts, production settings and middleware) on a
fresh SQLite database with the areas loaded; an API key authenticates (``bench.seed --orgs 0``).
One client asks sequentially, so each figure is one request's own time, from sending it to the
last byte of the body. For each level: the first request (the worker builds and caches the
serialized collection), then warm-up requests until every worker has built it, then
``REQUESTS`` measured requests each for the plain body, the gzip body (``Accept-Encoding:
gzip``), and a revalidation (``If-None-Match`` with the ETag → 304).

Goals (issue): all 7,436 subdistricts — warm p95 < 300 ms and payload < 3 MB; provinces and
districts likewise.
"""

from __future__ import annotations

import http.client
import json
import os
import time
from pathlib import Path
from typing import Any

from bench import common
from bench.api_overhead import Server

NAME = "geojson_levels"
LEVELS = {"province": 77, "district": 928, "subdistrict": 7436}
REQUESTS = int(os.environ.get("BENCH_GEOJSON_REQUESTS", "40"))
WARMUP = 16  # per level: with 4 sync workers, enough for each to have built its cache
SERVER = ("sync-4", ["--workers", "4"])
GOAL_P95_MS = 300.0
GOAL_BYTES = 3_000_000


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[float, int, dict[str, str], bytes]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return time.perf_counter() - started, response.status, dict(response.getheaders()), body


def _stats(seconds: list[float]) -> dict[str, float]:
    return {
        "p50": round(common.percentile(seconds, 50) * 1000, 2),
        "p95": round(common.percentile(seconds, 95) * 1000, 2),
        "max": round(max(seconds) * 1000, 2),
    }


def _measure_level(port: int, level: str, auth: dict[str, str]) -> dict[str, Any]:
    path = f"/api/v1/areas/geojson/{level}"
    first_s, status, headers, body = _get(port, path, auth)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
    features = json.loads(body)["features"]
    if len(features) != LEVELS[level]:
        raise RuntimeError(f"{path}: {len(features)} features, expected {LEVELS[level]}")
    without_polygon = sum(1 for f in features if not f["properties"]["has_polygon"])
    gz = {**auth, "Accept-Encoding": "gzip"}
    for _ in range(WARMUP):
        _get(port, path, auth)
    plain, packed, revalidated = [], [], []
    gz_size = 0
    gz_etag = ""
    for _ in range(REQUESTS):  # interleaved, so drift on the machine touches all three alike
        seconds, status, _h, _b = _get(port, path, auth)
        if status == 200:
            plain.append(seconds)
        seconds, status, h, b = _get(port, path, gz)
        if status == 200 and h.get("Content-Encoding") == "gzip":
            packed.append(seconds)
            gz_size, gz_etag = len(b), h["ETag"]
        seconds, status, _h, _b = _get(port, path, {**gz, "If-None-Match": gz_etag})
        if status == 304:
            revalidated.append(seconds)
    if not (len(plain) == len(packed) == len(revalidated) == REQUESTS):
        raise RuntimeError(f"{path}: unexpected statuses ({len(plain)}, {len(packed)}, {len(revalidated)})")
    warm = _stats(plain)
    return {
        "features": len(features),
        "features_without_polygon": without_polygon,
        "bytes": len(body),
        "bytes_gzip": gz_size,
        "etag": headers.get("ETag"),
        "cache_control": headers.get("Cache-Control"),
        "first_request_ms": round(first_s * 1000, 2),
        "warm_ms": warm,
        "warm_gzip_ms": _stats(packed),
        "revalidate_304_ms": _stats(revalidated),
        "goals": {
            "warm_p95_under_300ms": {"value_ms": warm["p95"], "goal_met": warm["p95"] < GOAL_P95_MS},
            "payload_under_3MB": {"value_bytes": len(body), "goal_met": len(body) < GOAL_BYTES},
        },
    }


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    with common.temp_dir(NAME) as tmp:
        var_dir = Path(tmp)
        seeded = common.last_json_line(
            common.run_child(["-m", "bench.seed", "--orgs", "0"], common.fresh_env(var_dir), timeout=300)
        )
        server = Server(SERVER[0], SERVER[1], var_dir)
        try:
            server.wait_ready()
            auth = {"X-API-Key": seeded["api_key"]}
            levels = {level: _measure_level(server.port, level, auth) for level in LEVELS}
        finally:
            server.stop()
    return {
        "benchmark": NAME,
        "machine": common.machine_info("sqlite", load_at_start=load_at_start),
        "setup": {
            "endpoint": "GET /api/v1/areas/geojson/{province,district,subdistrict}",
            "auth": "X-API-Key (project officer, region northeast; areas are readable by every signed-in user)",
            "server": f"gunicorn codi.wsgi:application {' '.join(SERVER[1])} (production settings)",
            "database": "fresh SQLite file (WAL) in a temporary CODI_VAR_DIR, areas loaded",
            "client": "one client, sequential requests, a new connection each (sync workers close it)",
            "requests_per_variant": REQUESTS,
            "warmup_requests_per_level": WARMUP,
            "variants": "plain body; gzip body; If-None-Match revalidation (304)",
        },
        "levels": levels,
        "goal_met": all(g["goal_met"] for lv in levels.values() for g in lv["goals"].values()),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    lines = []
    for level, r in result["levels"].items():
        lines.append(
            f"   {level:11} {r['features']:5} features  {r['bytes'] / 1e6:5.2f} MB ({r['bytes_gzip'] / 1e6:4.2f} MB gzip)  "
            f"first {r['first_request_ms']:6.1f} ms  warm p50 {r['warm_ms']['p50']:6.1f}  p95 {r['warm_ms']['p95']:6.1f} ms  "
            f"gzip p95 {r['warm_gzip_ms']['p95']:5.1f} ms  304 p95 {r['revalidate_304_ms']['p95']:5.1f} ms"
        )
    return "\n".join(lines)


def main() -> None:
    """``python -m bench.geojson_levels``: run, write ``bench/results/geojson_levels.json``, print."""
    result = run()
    path = common.write_result(NAME, result)
    print(summary(result))
    print(f"   goal met: {'yes' if result['goal_met'] else 'NO'}; {path.relative_to(common.REPO)}")


if __name__ == "__main__":
    main()
