"""Anomalies in a metric's time series without hand-set thresholds: a robust seasonal baseline.

The method (documented in docs/operations.md):

1. **Season.** A series is bucketed (e.g. hours) and has a season of ``period`` buckets (168 for
   hours in a week): Monday 09:00 is compared with earlier Mondays at 09:00, so the usual
   weekday/weekend and day/night rhythm is expected, not alarming.
2. **Baseline.** For each bucket the baseline is the *median* of the same phase in the previous
   ``history`` seasons (at least ``min_history`` of them must exist; before that nothing is judged).
   A median ignores the odd past spike, which a mean would not.
3. **Scale.** How far values usually stray from their baseline is the median absolute deviation
   (MAD × 1.4826, a robust standard deviation) of all earlier residuals, with a Poisson floor of
   √baseline for counts, so a series that was perfectly flat does not alarm on the first wobble.
4. **Score.** The robust z-score ``(value - baseline) / scale``. A bucket is anomalous when
   |z| > ``z`` (4.5 by default: under a normal model about 7 in a million buckets by chance, so
   roughly once in 16 years of hourly data). This is a statistical cut-off shared by every series,
   not a threshold set for one metric.
5. **Level shift.** ``shift_run`` (3) or more anomalous buckets in a row on the same side are
   reported together as a level shift: the series has moved, not spiked once.

Pure numpy; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAD_TO_SIGMA = 1.4826
DEFAULT_Z = 4.5


@dataclass(frozen=True)
class Anomaly:
    index: int
    value: float
    baseline: float
    score: float


@dataclass(frozen=True)
class Shift:
    start: int
    end: int  # inclusive
    direction: int  # +1 up, -1 down


@dataclass(frozen=True)
class Detection:
    baseline: np.ndarray  # nan where not judged
    score: np.ndarray  # nan where not judged
    anomalies: list[Anomaly]
    shifts: list[Shift]


def detect(
    values: np.ndarray | list[float],
    *,
    period: int,
    history: int = 4,
    min_history: int = 2,
    z: float = DEFAULT_Z,
    shift_run: int = 3,
    counts: bool = True,
) -> Detection:
    """Judge every bucket that has ``min_history`` earlier seasons; see the module's method."""
    if period < 1 or history < 1 or min_history < 1 or min_history > history:
        raise ValueError("period, history and min_history must be positive, min_history <= history")
    x = np.asarray(values, dtype=float)
    n = len(x)
    baseline = np.full(n, np.nan)
    score = np.full(n, np.nan)
    residuals: list[float] = []
    anomalies: list[Anomaly] = []
    for t in range(n):
        past = [x[t - k * period] for k in range(1, history + 1) if t - k * period >= 0]
        if len(past) < min_history:
            continue
        base = float(np.median(past))
        baseline[t] = base
        mad = float(np.median(np.abs(np.asarray(residuals)))) * MAD_TO_SIGMA if residuals else 0.0
        floor = np.sqrt(max(base, 1.0)) if counts else 1e-9
        scale = max(mad, floor)
        s = (x[t] - base) / scale
        score[t] = s
        if abs(s) > z:
            anomalies.append(Anomaly(index=t, value=float(x[t]), baseline=base, score=float(s)))
        else:
            residuals.append(float(x[t] - base))  # an anomaly must not widen what "usual" means
    return Detection(
        baseline=baseline, score=score, anomalies=anomalies, shifts=_shifts(anomalies, shift_run)
    )


def _shifts(anomalies: list[Anomaly], run: int) -> list[Shift]:
    shifts: list[Shift] = []
    start = prev = None
    direction = 0
    for a in anomalies:
        d = 1 if a.score > 0 else -1
        if prev is not None and a.index == prev + 1 and d == direction:
            prev = a.index
            continue
        if start is not None and prev is not None and prev - start + 1 >= run:
            shifts.append(Shift(start=start, end=prev, direction=direction))
        start, prev, direction = a.index, a.index, d
    if start is not None and prev is not None and prev - start + 1 >= run:
        shifts.append(Shift(start=start, end=prev, direction=direction))
    return shifts
