"""The analytics store (issue 24, item 1): Parquet marts fed by every module, queried with DuckDB.

``store`` refreshes and reads them, ``exports`` hands them to Power BI and Excel, ``views`` is the
Thai page. Each app's facts come from its own ``marts.py`` (``codi.core.marts``); this package's
own ``MARTS`` are the facts the insights app owns: the satisfaction survey's answers.
"""

from __future__ import annotations

from codi.insights.marts.sources import MARTS

__all__ = ["MARTS"]
