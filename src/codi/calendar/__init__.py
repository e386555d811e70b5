"""CODI's working-day calendar: public holidays, CODI's own closures, working-day arithmetic.

Shared domain beside ``areas`` and ``identity`` (it asks identity who may edit it); every module
that counts working days (feedback SLA, project step due dates; leave and payroll when they
come) reads the same calendar through ``codi.calendar.selectors``.
"""
