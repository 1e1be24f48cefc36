"""Trainlab's training engine: data, models, jitted training, metrics and Plotly charts.

Nothing here imports Streamlit; the pages call into it with plain values and get NumPy arrays
and Plotly figures back.
"""
