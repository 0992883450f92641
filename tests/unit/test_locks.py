"""The lock files are current and consistent (offline; `make lock` regenerates them)."""

import importlib.util
import re
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("lock", ROOT / "scripts" / "lock.py")
assert _spec and _spec.loader
lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lock)

FUNCTIONS = sorted(p.parent.name for p in (ROOT / "functions").glob("*/main.py"))
_PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def pins(path: Path) -> dict[str, str]:
    """name -> version of every package the lock installs on this interpreter."""
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = _PIN.match(line)
        if not match:
            continue
        name, version, marker = match.groups()
        if marker is None or Marker(marker).evaluate():
            found[canonicalize_name(name.split("[")[0])] = version
    return found


def direct_requirements(source: Path) -> list[Requirement]:
    requirements = []
    for path in lock.input_files(source):
        for raw in path.read_text().splitlines():
            line = raw.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                requirements.append(Requirement(line))
    return requirements


def test_every_lock_matches_its_inputs() -> None:
    assert lock.stale_locks() == [], "a requirements*.in changed: run `make lock`"


def test_every_function_has_inputs_and_a_hashed_lock() -> None:
    for name in FUNCTIONS:
        folder = ROOT / "functions" / name
        assert (folder / "requirements.in").is_file(), name
        text = (folder / "requirements.txt").read_text()
        assert text.startswith(lock.HEADER), name
        assert "--hash=sha256:" in text, name


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_function_lock_pins_each_direct_requirement_within_its_range(name: str) -> None:
    folder = ROOT / "functions" / name
    locked = pins(folder / "requirements.txt")
    for requirement in direct_requirements(folder / "requirements.in"):
        key = canonicalize_name(requirement.name)
        assert key in locked, f"{name}: {requirement.name} is not in its lock"
        assert requirement.specifier.contains(locked[key], prereleases=True), (
            f"{name}: {requirement.name}=={locked[key]} is outside {requirement.specifier}"
        )


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_function_lock_agrees_with_the_root_lock(name: str) -> None:
    root = pins(ROOT / "requirements.txt")
    for package, version in pins(ROOT / "functions" / name / "requirements.txt").items():
        assert root.get(package) == version, f"{name}: {package}=={version} vs {root.get(package)}"


def test_the_root_inputs_are_the_union_of_the_functions_inputs() -> None:
    included = set(lock.input_files(ROOT / "requirements.in"))
    for name in FUNCTIONS:
        assert (ROOT / "functions" / name / "requirements.in").resolve() in included, name


def test_the_fetcher_lock_carries_ta_lib_for_alert_rules() -> None:
    """Scheduled scans evaluate RSI / MACD rules with TA-Lib (shared/services/alerts.py)."""
    assert "ta-lib" in pins(ROOT / "functions" / "market_fetcher" / "requirements.txt")
