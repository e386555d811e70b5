"""The anomaly detector: weekly rhythm is not an anomaly; a level shift and a spike are."""

import numpy as np
import pytest

from codi.insights.anomaly import detect

HOURS_PER_WEEK = 168


def _weekly(weeks: int, seed: int = 7) -> np.ndarray:
    """Hourly counts with a day/night and weekday/weekend rhythm and Poisson noise."""
    rng = np.random.default_rng(seed)
    hours = np.arange(weeks * HOURS_PER_WEEK)
    hour_of_day, day = hours % 24, (hours // 24) % 7
    rate = 20 + 60 * ((hour_of_day >= 8) & (hour_of_day < 18)) * (day < 5) + 5 * (day >= 5)
    return rng.poisson(rate).astype(float)


def test_normal_weekly_seasonality_is_not_flagged() -> None:
    series = _weekly(6)
    result = detect(series, period=HOURS_PER_WEEK)
    judged = ~np.isnan(result.score)
    assert judged.sum() == 4 * HOURS_PER_WEEK  # the first two weeks only build the baseline
    assert result.anomalies == []
    assert result.shifts == []


def test_a_level_shift_is_flagged_as_a_shift() -> None:
    series = _weekly(6)
    start = 5 * HOURS_PER_WEEK + 30  # Saturday of the last week, 06:00
    series[start : start + 12] += 80
    result = detect(series, period=HOURS_PER_WEEK)
    flagged = {a.index for a in result.anomalies}
    assert set(range(start, start + 12)) <= flagged
    assert flagged <= set(range(start, start + 12))  # nothing else
    assert [(s.start, s.end, s.direction) for s in result.shifts] == [(start, start + 11, 1)]


def test_a_single_spike_is_an_anomaly_but_not_a_shift() -> None:
    series = _weekly(5)
    series[4 * HOURS_PER_WEEK + 100] += 200
    result = detect(series, period=HOURS_PER_WEEK)
    assert [a.index for a in result.anomalies] == [4 * HOURS_PER_WEEK + 100]
    assert result.shifts == []


def test_without_enough_history_nothing_is_judged() -> None:
    result = detect([5, 6, 500], period=3)
    assert result.anomalies == [] and np.isnan(result.score).all()


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        detect([1, 2, 3], period=0)
    with pytest.raises(ValueError):
        detect([1, 2, 3], period=1, history=2, min_history=3)
