"""`make bench` runs after `make run` alone: bench/ needs only what requirements.txt installs."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCAL = {"bench", "shared", "local", "tests"}
# Browser timings need Chromium and playwright from `make test-deps`; a bench that uses them
# checks for both and prints what is missing instead of failing.
BROWSER_TOOLS = {"playwright"}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def bench_closure() -> tuple[set[Path], set[str]]:
    """The bench scripts and the test helpers they import, and what those import."""
    pending = sorted((ROOT / "bench").glob("*.py"))
    files: set[Path] = set()
    third_party: set[str] = set()
    while pending:
        path = pending.pop()
        if path in files:
            continue
        files.add(path)
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in ("bench", "tests"):
                target = ROOT / Path(*module.split("."))
                candidate = target.with_suffix(".py") if target.with_suffix(".py").exists() \
                    else target / "__init__.py"
                if candidate.exists():
                    pending.append(candidate)
            elif top not in LOCAL and top not in sys.stdlib_module_names:
                third_party.add(top)
    return files, third_party


def test_bench_never_imports_pytest_or_a_conftest() -> None:
    files, third_party = bench_closure()
    assert "pytest" not in third_party
    assert not [f for f in files if f.name == "conftest.py"]


def test_every_package_bench_imports_is_in_the_root_lock() -> None:
    locked = {canonicalize_name(m.group(1)) for m in re.finditer(
        r"^([A-Za-z0-9_.\-]+)==", (ROOT / "requirements.txt").read_text(), re.MULTILINE)}
    distributions = packages_distributions()
    _, third_party = bench_closure()
    for module in sorted(third_party - BROWSER_TOOLS):
        names = {canonicalize_name(d) for d in distributions.get(module, [module])}
        assert names & locked, f"bench imports {module}, which requirements.txt does not install"


def test_every_browser_bench_checks_for_its_tools_before_using_them() -> None:
    browser_benches = [path for path in sorted((ROOT / "bench").glob("*.py"))
                       if any(m.split(".")[0] in BROWSER_TOOLS for m in imported_modules(path))]
    assert {path.name for path in browser_benches} >= {"web_app.py", "admin_panel.py"}
    unguarded = [path.name for path in browser_benches
                 if 'find_spec("playwright")' not in path.read_text()]
    assert not unguarded, f"these benches fail without playwright instead of saying so: {unguarded}"
