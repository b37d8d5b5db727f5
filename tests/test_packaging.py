"""Packaging: what the sdist and the wheel hold, and that the locks and floors match pyproject.

The sdist must be enough to build, install and run `make test` and `make test-min`; the wheel
must carry the framework and templates (as sclearn/_data) and py.typed. The locks pin every
dependency inside pyproject's ranges and name no package index.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sclearn.core.errors import SclearnError

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = {name: ROOT / "requirements" / f"{name}.txt" for name in ("runtime", "dev")}
# What `make test`, `make test-min`, `make demo` and the tests read, beyond src/ and tests/.
NEEDED_IN_SDIST = [
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "Makefile",
    ".ci/run",
    ".gitignore",
    ".pymarkdown.json",
    ".pre-commit-hooks.yaml",
    "requirements/runtime.txt",
    "requirements/dev.txt",
    "scripts/demo.sh",
    "scripts/wheel_smoke.sh",
    "scripts/min_constraints.py",
    "benchmarks/collate.py",
    "framework/derbyshire-scr/1.0.yaml",
    "templates/pledge.html.j2",
    "examples/sarah-whitfield.pledge.yaml",
    "tests/conftest.py",
    "tests/hostile/README.md",
    "tests/data/seed.txt",
    "src/sclearn/py.typed",
]


def _load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it (so the wheel proves the sdist is enough)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _sdist_names(dist: Path) -> set[str]:
    (sdist,) = dist.glob("sclearn-*.tar.gz")
    with tarfile.open(sdist) as tar:
        # Every member sits under one top folder, sclearn-<version>/.
        return {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}


def _wheel_names(dist: Path) -> set[str]:
    (wheel,) = dist.glob("sclearn-*.whl")
    with zipfile.ZipFile(wheel) as zipped:
        return set(zipped.namelist())


def test_sdist_holds_what_building_and_testing_need(dist: Path) -> None:
    names = _sdist_names(dist)
    assert [path for path in NEEDED_IN_SDIST if path not in names] == []


def test_sdist_holds_every_file_git_tracks(dist: Path) -> None:
    """A file added to the repository but left out of the sdist's include list fails here."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (for example, running from the sdist itself)")
    tracked = subprocess.run(
        [git, "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    names = _sdist_names(dist)
    assert [path for path in tracked if path not in names] == []


def test_wheel_ships_framework_templates_license_and_py_typed(dist: Path) -> None:
    names = _wheel_names(dist)
    for folder in ("framework", "templates"):
        shipped = {
            path.relative_to(ROOT).as_posix()
            for path in (ROOT / folder).rglob("*")
            if path.is_file()
        }
        assert shipped, folder
        assert {f"sclearn/_data/{path}" for path in shipped} <= names
    assert "sclearn/py.typed" in names
    assert "sclearn/files/resources.py" in names
    assert any(re.fullmatch(r"sclearn-[^/]+\.dist-info/licenses/LICENSE", n) for n in names)
    (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    (wheel,) = dist.glob("sclearn-*.whl")
    with zipfile.ZipFile(wheel) as zipped:
        text = zipped.read(metadata).decode("utf-8")
    assert "License-Expression: MIT" in text.splitlines()


def test_license_is_mit_with_the_contributors_copyright() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Copyright (c) 2026 sclearn contributors" in text
    assert PYPROJECT["project"]["license"] == "MIT"


def test_the_checkout_s_folders_are_found_without_sclearn_data() -> None:
    """An editable install has no sclearn/_data: the checkout's own folders are used."""
    from importlib.resources import files

    from sclearn.files.resources import builtin_framework_dir, builtin_templates_dir

    if (files("sclearn") / "_data").is_dir():
        pytest.skip("sclearn is installed from a wheel here, with its own _data")
    assert builtin_framework_dir() == ROOT / "framework"
    assert builtin_templates_dir() == ROOT / "templates"


def test_missing_data_is_a_plain_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither _data nor a checkout around the module: say so and how to repair it."""
    from importlib.resources import files

    from sclearn.files import resources

    if (files("sclearn") / "_data").is_dir():
        pytest.skip("sclearn is installed from a wheel here, with its own _data")
    monkeypatch.setattr(resources, "__file__", str(tmp_path / "a" / "b" / "c" / "resources.py"))
    with pytest.raises(SclearnError, match="built-in framework folder is missing"):
        resources.builtin_framework_dir()


def _pins(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def _requirements(*groups: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    texts = list(project["dependencies"]) if "runtime" in groups else []
    for group in groups:
        texts += project["optional-dependencies"].get(group, [])
    return [Requirement(text) for text in texts]


@pytest.mark.parametrize(
    ("lock", "groups"), [("runtime", ("runtime",)), ("dev", ("runtime", "test", "dev"))]
)
def test_locks_pin_every_dependency_inside_pyproject_ranges(
    lock: str, groups: tuple[str, ...]
) -> None:
    pins = _pins(LOCKS[lock])
    for requirement in _requirements(*groups):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not pinned in {LOCKS[lock].name}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{LOCKS[lock].name} pins {name}=={pins[name]}, outside {requirement}: run `make lock`"
        )


def test_the_two_locks_agree() -> None:
    runtime, dev = _pins(LOCKS["runtime"]), _pins(LOCKS["dev"])
    assert {
        name: (version, dev.get(name))
        for name, version in runtime.items()
        if dev.get(name) != version
    } == {}


def test_locks_name_no_package_index() -> None:
    for lock in LOCKS.values():
        for number, line in enumerate(lock.read_text(encoding="utf-8").splitlines(), 1):
            option = line.strip().split(" ")[0]
            assert option not in {
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--find-links",
                "--trusted-host",
            }, f"{lock.name}:{number}"
            assert not re.search(r"file:|://|/opt/", line), f"{lock.name}:{number}: {line}"


def test_every_runtime_dependency_has_a_floor_and_an_upper_bound() -> None:
    floors = _load_script("min_constraints").floors(ROOT / "pyproject.toml")
    runtime = _requirements("runtime")
    assert list(floors) == [requirement.name for requirement in runtime]
    for requirement in runtime:
        floor = floors[requirement.name]
        assert requirement.specifier.contains(floor), requirement
        # The floor is the bottom of the range and the range is closed above.
        assert any(spec.operator == "<" for spec in requirement.specifier), requirement


@pytest.mark.parametrize(
    "dependency", ['"rich>=13.8"', '"rich<16"', '"rich"', '"rich>=13.8,<16,>=14"']
)
def test_min_constraints_refuses_an_unbounded_dependency(tmp_path: Path, dependency: str) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f"[project]\ndependencies = [{dependency}]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs one floor"):
        _load_script("min_constraints").floors(pyproject)


def test_min_constraints_prints_the_floors() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "min_constraints.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    pins = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert pins == [
        f"{Requirement(text).name}=={floor}"
        for text, floor in zip(
            PYPROJECT["project"]["dependencies"],
            _load_script("min_constraints").floors(ROOT / "pyproject.toml").values(),
            strict=True,
        )
    ]
