"""Executive information system (EIS): the digital action plan's KPIs by fiscal year (B.E.) against
their targets, with drill-down by CODI region → province → subdistrict → the owning module's records.

- ``registry``: ``Fact``, ``Source``, ``Kpi`` and ``Board`` (the figures of one person's scope);
- ``scope``: who may see the board and which areas (the insights view right's grants);
- ``sources``: the operational sources, reading each owning app's public selectors;
- ``kpis``: the plan's KPIs with their targets;
- ``charts`` / ``briefing``: inline-SVG trend geometry and the PDF board briefing.
"""
