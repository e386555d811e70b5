"""Benchmarks for the CODI platform: ``make bench`` (``python -m bench.run``), JSON under bench/results/."""
