"""Plotly figures from plain NumPy arrays, one module per family of chart; no JAX here."""
