"""The Dockerfile builds and its server answers the health check, where a Docker engine runs."""

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def docker_engine_available() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


pytestmark = pytest.mark.skipif(
    not docker_engine_available(), reason="no Docker engine on this machine (the docker client alone cannot build)"
)


def test_image_builds_and_answers_health_check():
    subprocess.run(["docker", "build", "-t", "trainlab-test", str(ROOT)], check=True, timeout=1800)
    container = subprocess.run(
        ["docker", "run", "-d", "-p", "18501:8501", "trainlab-test"], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen("http://127.0.0.1:18501/_stcore/health", timeout=3) as reply:
                    assert reply.status == 200
                    return
            except OSError:
                time.sleep(1)
        pytest.fail("the container never answered its health check")
    finally:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True)
