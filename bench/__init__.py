"""Benchmarks: `python -m bench` times the lab run against scikit-learn and plain NumPy."""
