"""Lesson logic, one module per lesson: its configuration, its run and its readings in words
(numbers in, sentences out). No Streamlit, no Plotly: the pages place what these return."""
