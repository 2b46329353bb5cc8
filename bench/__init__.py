"""Benchmarks a user can run (not timed tests): ``python -m bench.engines``."""
