"""Trainlab's core: the training engine (`engine`), the small language model (`lm`) and the lessons' logic
(`lessons`). Nothing here imports Streamlit or Plotly; the pages call into it with plain values and get
NumPy arrays and frozen dataclasses back.
"""
