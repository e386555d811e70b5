"""The shipped Prometheus rules and Grafana dashboard parse and use only metrics the platform exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from codi.core import metrics

ROOT = Path(__file__).resolve().parents[2] / "deploy"
OURS = {  # prometheus_client adds _total to counters and _bucket to histograms
    metrics.REQUESTS._name + "_total",
    metrics.LATENCY._name + "_bucket",
    metrics.AUDIT_ENTRIES._name + "_total",
}
OTHERS = {"up", "node_filesystem_avail_bytes", "node_filesystem_size_bytes"}
FUNCTIONS = {"sum", "rate", "increase", "clamp_min", "histogram_quantile", "by", "and", "on", "hour"}
LABELS = {"le", "status", "method", "instance", "job"}


def _metric_names(expr: str) -> set[str]:
    without_labels = re.sub(r"\{[^}]*\}", "", expr)
    without_ranges = re.sub(r"\[[^\]]*\]", "", without_labels)
    names = set(re.findall(r"[a-zA-Z_][a-zA-Z0-9_]*", without_ranges))
    return {n for n in names if n not in FUNCTIONS | LABELS and not re.fullmatch(r"e\d*", n)}


def test_prometheus_rules_parse_and_name_known_metrics() -> None:
    rules = yaml.safe_load((ROOT / "prometheus" / "codi-alerts.yml").read_text())
    alerts = [r for g in rules["groups"] for r in g["rules"]]
    assert {a["alert"] for a in alerts} >= {
        "CodiDown",
        "CodiHigh5xxRate",
        "CodiSlowRequests",
        "CodiDiskAlmostFull",
    }
    for alert in alerts:
        assert alert["labels"]["severity"] in {"low", "medium", "high", "critical"}
        assert alert["annotations"]["summary_th"]
        unknown = _metric_names(alert["expr"]) - OURS - OTHERS
        assert not unknown, f"{alert['alert']} names metrics nobody exports: {unknown}"


def test_grafana_dashboard_parses_and_names_known_metrics() -> None:
    dashboard = json.loads((ROOT / "grafana" / "codi-dashboard.json").read_text())
    assert dashboard["uid"] == "codi-platform" and dashboard["panels"]
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            unknown = _metric_names(target["expr"]) - OURS - OTHERS
            assert not unknown, f"panel {panel['title']!r} names metrics nobody exports: {unknown}"
