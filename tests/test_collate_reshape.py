"""The reshaped collation: same bytes as before, typed summaries, and a cache keyed by code."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sclearn
from sclearn.files.frameworks import Catalogue
from sclearn.services.collate import summary as summary_module
from sclearn.services.collate.cache import Cache, cache_key
from sclearn.services.collate.summary import Item, Reader, Summary

from .conftest import DATA, EXAMPLES
from .corpus import generate

GOLDEN = DATA / "collate-golden"
OTHER = DATA / "other-framework.yaml"
AS_OF = "2026-11-26"
OLD = 1_600_000_000_000_000_000  # a modification time safely in the past


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCLEARN_CACHE_DIR", str(cache))
    return cache


def age(folder: Path) -> None:
    """Make every pledge file look long unchanged, so the cache trusts its entries."""
    for path in folder.rglob("*.pledge.yaml"):
        os.utime(path, ns=(OLD, OLD))


# Made by the code before the reshape (tests/data/collate-golden): the outputs must not move
# by a byte. corpus.json and examples.json are kept whole, to show the difference if they do.
# The Markdown and HTML reports changed on purpose since (issue 17: capped examples, themes);
# REPORTS checks that the cache never changes them.
REPORTS = {
    "examples.md": ["<examples>", "--format", "md"],
    "examples.html": ["<examples>", "--format", "html", "--group-by", "district"],
    "corpus-anon.md": ["<corpus>", "--format", "md", "--framework", str(OTHER), "--anonymise"],
}
RUNS = {
    "examples.json": ["<examples>", "--format", "json"],
    "examples-kind.json": ["<examples>", "--format", "json", "--group-by", "kind"],
    "examples.csv": ["<examples>", "--format", "csv"],
    "corpus.json": [
        "<corpus>",
        "--format",
        "json",
        "--framework",
        str(OTHER),
        "--group-by",
        "agency",
    ],
}


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_outputs_are_byte_identical_to_before_the_reshape(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, warm: bool
) -> None:
    corpus = tmp_path / "corpus"
    generate(corpus, 120, seed=5)
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES, examples)
    age(corpus)
    age(examples)
    digests = json.loads((GOLDEN / "sha256.json").read_text(encoding="utf-8"))
    assert set(digests) == set(RUNS)
    for name, args in RUNS.items():
        argv = [
            a.replace("<examples>", str(examples)).replace("<corpus>", str(corpus)) for a in args
        ]
        if warm:
            run("collate", *argv, "--as-of", AS_OF)
        out = run("collate", *argv, "--as-of", AS_OF).out
        for folder, mark in ((corpus, "<corpus>"), (examples, "<examples>")):
            # Markdown escapes the underscores of a folder's name.
            out = out.replace(str(folder), mark).replace(str(folder).replace("_", "\\_"), mark)
        if (GOLDEN / name).exists():
            assert out == (GOLDEN / name).read_text(encoding="utf-8"), name
        assert hashlib.sha256(out.encode("utf-8")).hexdigest() == digests[name], name


def test_the_cache_never_changes_the_reports(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    generate(corpus, 120, seed=5)
    age(corpus)
    for name, args in REPORTS.items():
        argv = [
            a.replace("<examples>", str(EXAMPLES)).replace("<corpus>", str(corpus)) for a in args
        ]
        cold = run("collate", *argv, "--as-of", AS_OF, "--no-cache").out
        run("collate", *argv, "--as-of", AS_OF)
        assert run("collate", *argv, "--as-of", AS_OF).out == cold, name


def test_a_file_that_is_not_a_pledge_is_not_read_again_until_it_changes(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "pledges"
    folder.mkdir()
    shutil.copy(EXAMPLES / "sarah-whitfield.pledge.yaml", folder / "good.pledge.yaml")
    broken = folder / "broken.pledge.yaml"
    broken.write_text("owner: [never closed\n", encoding="utf-8")
    (folder / "cp1252.pledge.yaml").write_bytes("owner: Zoë\n".encode("cp1252"))  # bytes too
    age(folder)
    cold = run("collate", folder, "--format", "json", "--as-of", AS_OF)
    assert cold.code == 2 and "broken.pledge.yaml" in cold.out and "not UTF-8" in cold.out
    read: list[str] = []
    original = Reader.read
    monkeypatch.setattr(
        Reader, "read", lambda self, path: read.append(path) or original(self, path)
    )
    warm = run("collate", folder, "--format", "json", "--as-of", AS_OF)
    assert (warm.code, warm.out, read) == (2, cold.out, [])
    shutil.copy(EXAMPLES / "sarah-whitfield.pledge.yaml", broken)  # mended
    os.utime(broken, ns=(OLD + 10**9, OLD + 10**9))
    mended = run("collate", folder, "--format", "json", "--as-of", AS_OF)
    assert mended.code == 2 and read == [str(broken)]
    assert [Path(x["path"]).name for x in json.loads(mended.out)["invalid"]] == [
        "cp1252.pledge.yaml"
    ]


def test_a_summary_round_trips_through_the_cache(catalogue: Catalogue, tmp_path: Path) -> None:
    reader = Reader(catalogue, True, [])
    results = [reader.read(str(p)) for p in sorted(EXAMPLES.glob("*.pledge.yaml"))]
    cache = Cache(cache_key(catalogue), tmp_path)
    for r in results:
        assert isinstance(r.summary, Summary) and r.items
        cache.put(r.path, os.stat(r.path), r.read_at, r.summary, r.items)
    cache.close()
    again = Cache(cache_key(catalogue), tmp_path)
    known = again.fresh(True)
    got = list(
        again.summaries([(os.fsencode(r.path), known[os.fsencode(r.path)]) for r in results], True)
    )
    assert got == [(r.summary, r.items) for r in results]
    for (summary, items), r in zip(got, results, strict=True):
        assert isinstance(summary, Summary) and all(type(i) is Item for i in items)
        assert dataclasses.asdict(summary) == dataclasses.asdict(r.summary)
    assert again.problem is None
    again.close()


def test_the_key_changes_with_the_framework_and_the_patterns(tmp_path: Path) -> None:
    own = tmp_path / "other.yaml"
    shutil.copy(OTHER, own)
    first = cache_key(Catalogue.load([own]))
    assert cache_key(Catalogue.load([own])) == first
    assert cache_key(Catalogue.load([own]), (r"CP\d+",)) != first
    own.write_bytes(own.read_bytes() + b"\n# a comment is a change too\n")
    assert cache_key(Catalogue.load([own])) != first


@pytest.mark.slow
def test_a_changed_summarise_is_never_served_old_figures(tmp_path: Path) -> None:
    """Collate, change the code that makes summaries (same version), collate again."""
    package = Path(sclearn.__file__).parent
    copy = tmp_path / "lib"
    shutil.copytree(package, copy / "sclearn", ignore=shutil.ignore_patterns("__pycache__"))
    # An editable install reads the data from the checkout; the copy carries its own.
    from sclearn.files.resources import builtin_framework_dir, builtin_templates_dir

    for name, found in (
        ("framework", builtin_framework_dir()),
        ("templates", builtin_templates_dir()),
    ):
        if not (copy / "sclearn" / "_data" / name).is_dir():
            shutil.copytree(found, copy / "sclearn" / "_data" / name)
    folder = tmp_path / "pledges"
    shutil.copytree(EXAMPLES, folder)
    age(folder)
    env = {**os.environ, "PYTHONPATH": str(copy), "SCLEARN_CACHE_DIR": str(tmp_path / "c")}

    def stage1() -> int:
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "sclearn",
                "collate",
                str(folder),
                "--format",
                "json",
                "--as-of",
                AS_OF,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return int(json.loads(r.stdout)["stage1_complete"])

    assert stage1() == 4
    assert stage1() == 4  # from the cache
    source = Path(summary_module.__file__).relative_to(package)
    target = copy / "sclearn" / source
    text = target.read_text(encoding="utf-8")
    assert text.count("stage1=report.stage1_complete") == 1
    target.write_text(
        text.replace("stage1=report.stage1_complete", "stage1=False"), encoding="utf-8"
    )
    assert stage1() == 0


def test_summary_is_typed() -> None:
    hints = {f.name: f.type for f in dataclasses.fields(Summary)}
    assert "Any" not in " ".join(str(t) for t in hints.values())
