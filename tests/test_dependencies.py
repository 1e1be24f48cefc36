"""One source of truth for dependencies: pyproject.toml declares them, the lock files pin them at the same versions.

The locks are compiled from pyproject.toml (README, Development); these checks catch a lock left behind after a pin
changed, a direct dependency that is not pinned exactly, and an import that nothing declares.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
APP_LOCK = ROOT / "requirements.txt"
DEV_LOCK = ROOT / "requirements-dev.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
APP_CODE = ("app.py", "core", "ui", "pages")
DEV_CODE = ("bench", "tests")


def normalized(name: str) -> str:
    """Package names compare case-insensitively with runs of '-', '_' and '.' alike (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"{requirement!r} is not pinned exactly (name==version)"
        pins[normalized(match[1])] = match[2]
    return pins


def locked_pins(lock: Path) -> dict[str, str]:
    return {normalized(m[1]): m[2] for line in lock.read_text().splitlines() if (m := PIN.match(line))}


def app_pins() -> dict[str, str]:
    return declared_pins(PROJECT["dependencies"])


def dev_pins() -> dict[str, str]:
    return declared_pins(PROJECT["optional-dependencies"]["dev"])


def test_the_requirements_files_are_the_locks_compiled_from_pyproject():
    """requirements.txt and requirements-dev.txt are the compiled locks, not a second list written by hand."""
    assert sorted(ROOT.glob("requirements*")) == [DEV_LOCK, APP_LOCK]
    for lock in (APP_LOCK, DEV_LOCK):
        header = lock.read_text().splitlines()[1]
        assert header.startswith("#    uv pip compile pyproject.toml") and header.endswith(f"-o {lock.name}")


@pytest.mark.parametrize(
    ("lock", "pins"),
    [(APP_LOCK, app_pins), (DEV_LOCK, app_pins), (DEV_LOCK, dev_pins)],
    ids=["app lock: dependencies", "dev lock: dependencies", "dev lock: dev extra"],
)
def test_lock_pins_every_declared_dependency_at_its_declared_version(lock, pins):
    locked = locked_pins(lock)
    assert {name: locked.get(name) for name in pins()} == pins()


def test_both_locks_agree_on_every_package_they_share():
    app, dev = locked_pins(APP_LOCK), locked_pins(DEV_LOCK)
    assert {name: dev.get(name) for name in app} == app


@pytest.mark.parametrize("lock", [APP_LOCK, DEV_LOCK], ids=lambda path: path.name)
def test_every_locked_package_has_a_hash(lock):
    """A hash on every entry puts pip in hash-checking mode: what installs is exactly what was locked."""
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text())
    unhashed = [entry.split()[0] for entry in entries if PIN.match(entry) and "--hash=sha256:" not in entry]
    assert not unhashed


def third_party_imports(places: tuple[str, ...]) -> set[str]:
    """Top-level modules imported anywhere under `places`, less the standard library and this repository's own."""
    names = set()
    for place in places:
        path = ROOT / place
        for source in [path] if path.is_file() else path.rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module.split(".")[0])
    own = {path.stem for path in ROOT.iterdir() if path.suffix == ".py" or (path / "__init__.py").exists()}
    return names - set(sys.stdlib_module_names) - own


@pytest.mark.parametrize(
    ("places", "pins"),
    [(APP_CODE, app_pins), (DEV_CODE, lambda: app_pins() | dev_pins())],
    ids=["app code: dependencies", "benchmarks and tests: dependencies and dev extra"],
)
def test_every_import_comes_from_a_declared_dependency(places, pins):
    """An import served only by some other package's dependency breaks the day that package drops it."""
    providers = packages_distributions()
    undeclared = {
        module: providers.get(module)
        for module in third_party_imports(places)
        if not {normalized(name) for name in providers.get(module, [module])} & set(pins())
    }
    assert not undeclared


def test_quickstart_installs_from_the_locks_and_ci_runs_its_test_command_exactly():
    quickstart = re.findall(r"```bash\n(pip install -r .+)\n```", (ROOT / "README.md").read_text())
    assert quickstart == [
        "pip install -r requirements.txt && streamlit run app.py",
        "pip install -r requirements-dev.txt && python -m pytest",
    ]
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == quickstart[1]
