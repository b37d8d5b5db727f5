from __future__ import annotations

import os

os.environ["COLUMNS"] = "200"  # before rich creates its consoles: no wrapping in assertions
os.environ.pop("SCLEARN_FRAMEWORK_PATH", None)
# Collations in tests never touch the user's real cache.
os.environ["SCLEARN_CACHE_DIR"] = __import__("tempfile").mkdtemp(prefix="sclearn-test-cache-")
os.environ.pop("SCLEARN_FRAMEWORK", None)

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sclearn.cli import main
from sclearn.core.framework import Framework
from sclearn.files.frameworks import Catalogue, load_framework
from sclearn.services.create import NewPledge, write_new

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def _run(*args: str | Path) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.load()


@pytest.fixture(scope="session")
def fw(catalogue: Catalogue) -> Framework:
    return catalogue.get("derbyshire-scr", "1.0")


@pytest.fixture(scope="session")
def other_fw() -> Framework:
    return load_framework(DATA / "other-framework.yaml")


@pytest.fixture
def new_file(tmp_path: Path, fw: Framework) -> Callable[..., Path]:
    def _new(name: str = "Sam Patel", framework: Framework | None = None, **kw: object) -> Path:
        info = NewPledge(
            kind=str(kw.pop("kind", "individual")),
            name=name,
            email=str(kw.pop("email", "sam@example.org")),
            started=dt.date(2026, 11, 26),
            **kw,
        )  # type: ignore[arg-type]
        return write_new(framework or fw, info, tmp_path)

    return _new


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly when the browser tests could not run, so a green run cannot hide it."""
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = {
        str(getattr(r, "longrepr", ""))
        for r in skipped
        if "SKIPPED:" in str(getattr(r, "longrepr", ""))
    }
    if reasons:
        terminalreporter.write_sep("!", "SOME CHECKS DID NOT RUN", red=True, bold=True)
        for reason in sorted(reasons):
            terminalreporter.write_line(reason, red=True, bold=True)
