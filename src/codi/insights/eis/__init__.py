"""Executive information system (EIS): the digital action plan's KPIs by fiscal year (B.E.) against
their targets, with drill-down by CODI region → province.

- ``registry``: ``Kpi`` (Thai name, unit, direction, targets per year, source), ``Fact``, ``NoDataError``;
- ``sources``: the plan's KPIs, each reading the owning app's public selectors as the viewer;
- ``scope``: who may see the board and which areas (the insights view right's grants);
- ``board``: the KPIs of one scope, year and area with their status, a KPI's breakdown, chart geometry;
- ``views``: the board page, a KPI's drill-down page, the PDF briefing and the Excel workbook.
"""
