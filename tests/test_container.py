"""The Dockerfile builds, its server answers the health check, and every lesson runs inside the image.

No image registry is needed: the base is a minimal Debian 12 root filesystem made here with debootstrap and
imported into podman, then passed to the Dockerfile as its BASE. Building takes several minutes (the lock's
packages are downloaded into the image), so the test is marked slow.
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("podman", "runc", "debootstrap")
BASE_TAG = "localhost/trainlab-test-base:bookworm"
IMAGE_TAG = "localhost/trainlab-test:latest"
# crun refuses hybrid cgroup hierarchies; runc runs on cgroup v1, hybrid and v2 alike.
PODMAN = ["podman", "--runtime", "runc"]
# Podman's default limits are higher than a machine may grant without CAP_SYS_RESOURCE; a server needs far fewer.
ULIMITS = ["--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"]
# Docker's format keeps the HEALTHCHECK instruction (podman's default OCI format drops it).
BUILD = ["build", "--format", "docker", "--layers=false", *ULIMITS, "--build-arg", f"BASE={BASE_TAG}", "-t", IMAGE_TAG]
# Local certificate authorities (a proxy's, say) that the build's downloads must trust, as this machine does.
LOCAL_AUTHORITIES = Path("/usr/local/share/ca-certificates")
PAGES = sorted(set(re.findall(r"\"(pages/\w+\.py)\"", (ROOT / "app.py").read_text())))  # every page app.py registers
# Pages start worker threads (the lab's warm-up compile, fine-tuning); a process that exits while one is
# inside XLA can abort at shutdown, so the check waits for them and then leaves without tearing JAX down.
LESSONS_CHECK = f"""
import os, threading
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120).run()
for page in {PAGES!r}:
    at.switch_page(page).run()
    problems = [e.value for e in at.exception] + [e.value for e in at.error]
    assert not problems, (page, problems)
for thread in threading.enumerate():
    if thread is not threading.main_thread() and thread.daemon:
        thread.join(60)
print("every page ran", flush=True)
os._exit(0)
"""


def missing_requirement() -> str | None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return f"needs {', '.join(missing)} (apt-get install podman runc debootstrap; .ci/run installs them)"
    if os.geteuid() != 0:
        return "debootstrap needs root to make the Debian base image"
    return None


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(missing_requirement() is not None, reason=str(missing_requirement())),
]


def run(command: list[str], timeout: float, stdin: str | None = None) -> str:
    """Run a command; a failure shows its own error output."""
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command[:4])} ... failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout.strip()


def podman(*args: str, timeout: float = 120, stdin: str | None = None) -> str:
    return run([*PODMAN, *args], timeout, stdin)


def import_debian_base() -> None:
    """Debootstrap a minimal Debian 12 (its Python is 3.11, as the lock needs) and import it as BASE_TAG."""
    with tempfile.TemporaryDirectory() as scratch:
        rootfs = Path(scratch) / "rootfs"
        run(["debootstrap", "--variant=minbase", "bookworm", str(rootfs)], timeout=900)
        authorities = rootfs / LOCAL_AUTHORITIES.relative_to("/")
        authorities.mkdir(parents=True, exist_ok=True)
        for authority in LOCAL_AUTHORITIES.glob("*.crt"):
            shutil.copy(authority, authorities)
        archive = Path(scratch) / "rootfs.tar"
        run(["tar", "-C", str(rootfs), "-cf", str(archive), "."], timeout=300)
        podman("import", str(archive), BASE_TAG, timeout=300)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_health(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=3) as reply:
                return reply.status == 200
        except OSError:
            time.sleep(1)
    return False


@pytest.fixture(scope="module")
def image():
    try:
        import_debian_base()
        podman(*BUILD, str(ROOT), timeout=1800)
        yield IMAGE_TAG
    finally:
        subprocess.run([*PODMAN, "rmi", "-f", IMAGE_TAG, BASE_TAG], capture_output=True)


@pytest.fixture(scope="module")
def container(image):
    port = free_port()
    name = podman("run", "-d", *ULIMITS, "-p", f"127.0.0.1:{port}:8501", image)
    try:
        yield name, port
    finally:
        subprocess.run([*PODMAN, "rm", "-f", name], capture_output=True)


def test_server_answers_the_health_check(container):
    name, port = container
    assert wait_for_health(port, seconds=120), podman("logs", name)


def test_the_images_own_healthcheck_passes(container):
    name, port = container
    wait_for_health(port, seconds=120)
    podman("healthcheck", "run", name)


def test_every_lesson_runs_inside_the_image(container):
    """A file the Dockerfile forgot to copy shows up here, not as the health check (the server starts regardless)."""
    name, _ = container
    podman("exec", "-i", name, "python", "-", stdin=LESSONS_CHECK, timeout=600)
