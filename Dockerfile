# Trainlab dashboard: one Streamlit server. Build: docker build -t trainlab .  Run: docker run -p 8501:8501 trainlab
FROM python:3.11-slim

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py pyproject.toml ./
COPY .streamlit .streamlit
COPY core core
COPY pages pages
COPY sample_data sample_data

ENV TRAINLAB_JAX_CACHE=/app/.jax-cache
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "0.0.0.0", "--server.port", "8501"]
