"""`sclearn collate` on ordinary trouble: odd file names, a damaged cache, pasted control
characters, and Ctrl-C at any moment."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sclearn.files.discover import pledge_file_names
from sclearn.services.collate.cache import FORMAT, Cache
from sclearn.services.collate.summary import Reader, Unreadable

from .conftest import EXAMPLES
from .corpus import generate

AS_OF = "2026-11-26"
OLD = 1_600_000_000_000_000_000
NOTE = "the cache could not be used ("


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCLEARN_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def pledges(tmp_path: Path) -> Path:
    folder = tmp_path / "pledges"
    shutil.copytree(EXAMPLES, folder)
    for path in folder.glob("*.pledge.yaml"):
        os.utime(path, ns=(OLD, OLD))  # long unchanged: the cache trusts its entries
    return folder


def figures(run, folder: Path) -> tuple[dict, str]:  # type: ignore[no-untyped-def, type-arg]
    r = run("collate", folder, "--format", "json", "--as-of", AS_OF)
    assert r.code == 0 and "Traceback" not in r.err and "unexpected" not in r.err, r.err
    return json.loads(r.out), r.err


# --- file names that are not UTF-8 -------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_collated(
    run,
    pledges: Path,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    folder = os.fsencode(pledges)
    os.rename(folder + b"/jo-hartley.pledge.yaml", folder + b"/jo-hartl\xe9y.pledge.yaml")
    with open(folder + b"/br\xffoken.pledge.yaml", "wb") as handle:
        handle.write(b"sclearn: 1\nowner: [\n")
    for attempt in ("cold", "warm"):
        r = run("collate", pledges, "--format", "json", "--as-of", AS_OF)
        assert r.code == 2, (attempt, r.err)  # the broken file is listed, not a crash
        data = json.loads(r.out)
        assert data["valid"] == 5 and data["owners"] == {"individual": 3, "team": 2}
        assert [Path(x["path"]).name for x in data["invalid"]] == ["br\\xffoken.pledge.yaml"]
        assert "br\\xffoken.pledge.yaml" in r.err and "Traceback" not in r.err
    for fmt in ("md", "html", "csv"):
        r = run("collate", pledges, "--format", fmt, "--as-of", AS_OF)
        assert r.code == 2 and "unexpected" not in r.err, (fmt, r.err)
        # The item table lists valid files only; the reports list the broken one too.
        assert "xffoken.pledge.yaml" in r.out or fmt == "csv", fmt
    assert "jo-hartl\\xe9y.pledge.yaml" in run("collate", pledges, "--format", "csv").out
    out = tmp_path / "x.xlsx"
    r = run("collate", pledges, "--format", "xlsx", "-o", out, "--as-of", AS_OF)
    assert r.code == 2 and out.exists(), r.err


def test_file_names_come_in_the_order_paths_sort_in(  # type: ignore[no-untyped-def]
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a Path per file, still str() of each Path, in Path's order (not the string's:
    "a b/x" comes after "a/x" as parts, before it as text)."""
    for folder in ("a", "a b", "a-b", "A", "a/b", "é"):
        for name in ("x", "x y", "Z", "é"):
            (tmp_path / folder).mkdir(parents=True, exist_ok=True)
            (tmp_path / folder / f"{name}.pledge.yaml").touch()
    (tmp_path / "top.pledge.yaml").touch()
    expected = sorted(tmp_path.rglob("*.pledge.yaml"))
    assert list(pledge_file_names([tmp_path])) == [str(p) for p in expected]
    monkeypatch.chdir(tmp_path)
    relative = [str(p.relative_to(tmp_path)) for p in expected]
    assert list(pledge_file_names([Path(".")])) == relative  # "a/x", not "./a/x"


# --- the cache ---------------------------------------------------------------------------------


def damage_garbage(db: Path) -> None:
    db.write_bytes(b"this is not a database, just bytes " * 200)


def damage_truncate(db: Path) -> None:
    raw = db.read_bytes()
    db.write_bytes(raw[: len(raw) // 3])


def damage_schema(db: Path) -> None:
    db.unlink()
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE summaries (path TEXT PRIMARY KEY, figures TEXT)")
        con.execute("INSERT INTO summaries VALUES ('x', '{}')")
    con.close()


def damage_entries(db: Path) -> None:
    with sqlite3.connect(db) as con:
        con.execute("UPDATE summaries SET summary = '{\"owner\": 3}'")
    con.close()


def damage_one_byte(db: Path) -> None:
    """One bit of one entry flipped, as a failing disk might: still bytes, still loadable."""
    with sqlite3.connect(db) as con:
        path, blob = con.execute("SELECT path, summary FROM summaries LIMIT 1").fetchone()
        flipped = bytearray(blob)
        flipped[len(flipped) // 2] ^= 1
        con.execute("UPDATE summaries SET summary = ? WHERE path = ?", (bytes(flipped), path))
    con.close()


def damage_folder_in_the_way(db: Path) -> None:
    db.unlink()
    db.mkdir()


@pytest.mark.parametrize(
    "damage",
    [
        damage_garbage,
        damage_truncate,
        damage_schema,
        damage_entries,
        damage_one_byte,
        damage_folder_in_the_way,
    ],
)
def test_a_damaged_cache_is_bypassed_with_a_note(
    run,
    pledges: Path,  # type: ignore[no-untyped-def]
    own_cache: Path,
    damage,
) -> None:
    clean, err = figures(run, pledges)
    assert NOTE not in err
    db = own_cache / f"collate-v{FORMAT}.sqlite"
    assert db.is_file()
    damage(db)
    got, err = figures(run, pledges)
    assert got == clean
    notes = [line for line in err.splitlines() if NOTE in line]
    assert len(notes) == 1 and notes[0].endswith("collating without it"), err
    if damage is not damage_folder_in_the_way:
        again, err = figures(run, pledges)  # rebuilt: the next run is quiet and right
        assert again == clean and NOTE not in err, err


def test_damaged_texts_are_read_again(run, pledges: Path, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    clean = run("collate", pledges, "--format", "md", "--as-of", AS_OF)
    with sqlite3.connect(own_cache / f"collate-v{FORMAT}.sqlite") as con:
        con.execute("UPDATE summaries SET items = substr(items, 1, length(items) - 1)")
    con.close()
    got = run("collate", pledges, "--format", "md", "--as-of", AS_OF)
    assert (got.code, got.out) == (clean.code, clean.out) and got.err.count(NOTE) == 1, got.err


def test_a_warm_run_reads_no_file_whatever_the_chunks(  # type: ignore[no-untyped-def]
    run, pledges: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sclearn.services.collate.cache._CHUNK", 2)  # 5 files: 3 queries
    read: list[str] = []
    original = Reader.read
    for fmt in ("json", "csv"):
        cold = run("collate", pledges, "--format", fmt, "--as-of", AS_OF)
        read.clear()
        with monkeypatch.context() as m:
            m.setattr(Reader, "read", lambda self, path: read.append(path) or original(self, path))
            warm = run("collate", pledges, "--format", fmt, "--as-of", AS_OF)
        assert (warm.out, read) == (cold.out, []) and NOTE not in warm.err, (fmt, warm.err)


def test_an_entry_written_again_meanwhile_is_not_used(tmp_path: Path) -> None:
    cache = Cache("key", tmp_path)
    st = os.stat(EXAMPLES / "jo-hartley.pledge.yaml")
    first, second = Unreadable("first", lasting=True), Unreadable("second", lasting=True)
    cache.put("a", st, OLD, first, [])
    cache.flush()
    judged = list(cache.fresh(False).items())
    cache.put("a", st, OLD + 1, second, [])  # another run, between judging and reading
    cache.flush()
    assert list(cache.summaries(judged, False)) == [None]
    assert list(cache.summaries(list(cache.fresh(False).items()), False)) == [(second, [])]
    cache.close()


def test_a_cache_folder_that_cannot_be_made(
    run,
    pledges: Path,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clean, _ = figures(run, pledges)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("SCLEARN_CACHE_DIR", str(blocker / "cache"))
    got, err = figures(run, pledges)
    assert got == clean and err.count(NOTE) == 1, err


def test_a_read_only_cache(
    run,
    pledges: Path,
    own_cache: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As a read-only folder or file behaves: opening works, writing fails."""
    clean, _ = figures(run, pledges)
    (own_cache / f"collate-v{FORMAT}.sqlite").unlink()
    real = sqlite3.connect

    def read_only(path: Path) -> sqlite3.Connection:
        con = real(path)
        con.execute(
            "CREATE TABLE IF NOT EXISTS summaries (path BLOB PRIMARY KEY, stat TEXT, "
            "key TEXT, read_at INTEGER, summary BLOB, items BLOB)"
        )
        con.close()
        return real(f"file:{path}?mode=ro", uri=True)

    monkeypatch.setattr("sclearn.services.collate.cache.sqlite3.connect", read_only)
    got, err = figures(run, pledges)
    assert got == clean and err.count(NOTE) == 1, err
    assert "readonly" in err or "read-only" in err or "read only" in err, err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes regardless of modes")
def test_a_read_only_cache_folder(
    run,
    pledges: Path,  # type: ignore[no-untyped-def]
    own_cache: Path,
) -> None:
    own_cache.mkdir()
    own_cache.chmod(0o500)
    try:
        got, err = figures(run, pledges)
    finally:
        own_cache.chmod(0o700)
    assert got["valid"] == 5 and err.count(NOTE) == 1, err


# --- characters a workbook cannot hold ---------------------------------------------------------


def test_control_characters_do_not_break_the_workbook(
    run,
    pledges: Path,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    target = pledges / "jo-hartley.pledge.yaml"
    text = target.read_text(encoding="utf-8")
    marker = "  child-focus:\n    # Stage 1 (i): how this point relates to my/our practice\n"
    assert text.count(marker + '    discussion: ""\n') == 1
    # What Word pastes for Shift+Enter, a form feed, and other controls XML 1.0 forbids.
    typed = "Line one\\vline two\\fthree\\x01four\\x1f five\\uFFFE"
    text = text.replace(marker + '    discussion: ""', marker + f'    discussion: "{typed}"')
    target.write_text(text, encoding="utf-8")
    out = tmp_path / "summary.xlsx"
    r = run("collate", pledges, "--format", "xlsx", "-o", out, "--as-of", AS_OF)
    assert r.code == 0 and out.exists(), r.err
    cells = [c for row in load_workbook(out)["Items"].iter_rows(values_only=True) for c in row]
    assert "Line one\nline two\nthree\ufffdfour\ufffd five\ufffd" in cells


# --- Ctrl-C ------------------------------------------------------------------------------------


def _collate(folder: Path, fmt: str, output: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sclearn",
            "collate",
            str(folder),
            "--format",
            fmt,
            "-o",
            str(output),
            "--no-cache",
            "--as-of",
            AS_OF,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # its own process group, as a terminal's job is


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ctrl_c_at_any_moment_stops_cleanly(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "pledges"
    generate(folder, 300, seed=3)  # enough for the worker pool
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output = out_dir / f"summary.{fmt}"
    env = {**os.environ, "SCLEARN_CACHE_DIR": str(tmp_path / "cache")}
    start = time.monotonic()
    whole = _collate(folder, fmt, output, env)
    assert whole.wait(timeout=300) == 2  # some corpus files are broken on purpose
    took = time.monotonic() - start
    output.unlink()
    start = time.monotonic()
    _collate(tmp_path / "nothing", fmt, output, env).wait(timeout=120)  # start-up alone
    startup = time.monotonic() - start
    output.unlink(missing_ok=True)
    stopped = 0
    for fraction in (0.1, 0.4, 0.7, 0.95):
        proc = _collate(folder, fmt, output, env)
        time.sleep(startup + fraction * (took - startup))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: every process of the job
        sent = time.monotonic()
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError(f"still running 15 s after Ctrl-C at {fraction}") from None
        assert time.monotonic() - sent < 10
        assert "Traceback" not in err and "Error" not in err, err
        leftovers = [p.name for p in out_dir.iterdir() if p.name != output.name]
        assert not leftovers, leftovers
        if proc.returncode == 130:
            stopped += 1
            assert not output.exists(), fraction
        else:  # finished before Ctrl-C came (or as Python shut down): a whole output
            assert proc.returncode in (2, -signal.SIGINT), (fraction, proc.returncode, err)
            assert output.exists() and "wrote" in err, (fraction, err)
            output.unlink()
    assert stopped >= 2
