# Trainlab dashboard: one Streamlit server on Debian 12 and its Python 3.11, installed from the lock file.
# Build: docker build -t trainlab .  Run: docker run -p 8501:8501 trainlab
# BASE is any Debian 12 root filesystem; tests/test_container.py builds one with debootstrap.
ARG BASE=debian:bookworm-slim
FROM ${BASE}

RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py pyproject.toml ./
COPY .streamlit .streamlit
COPY core core
COPY ui ui
COPY static static
COPY pages pages
COPY sample_data sample_data
COPY locale locale

ENV TRAINLAB_JAX_CACHE=/app/.jax-cache
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "0.0.0.0", "--server.port", "8501"]
