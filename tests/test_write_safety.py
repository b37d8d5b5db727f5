"""Trust first: what sclearn reads is a regular file, and no write ever loses or overwrites.

Reading: named pipes and devices are refused without blocking. Writing: concurrent reviews
all land, outputs never replace a pledge, a review is validated before it is written, links
and modes are kept, a read-only pledge is refused, temporary files never stay behind, and
every failure names the user's file.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sclearn.core.errors import InvalidFileError
from sclearn.files import write
from sclearn.files.decode import read_source
from sclearn.files.frameworks import Catalogue
from sclearn.services.check import check_file

from .conftest import EXAMPLES, Result

HV = "erewash-health-visiting-team.pledge.yaml"  # stage 1 complete, not reviewed
# The points of that example that carry pledges (so a review can be recorded against each).
HV_POINTS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14")

Run = Callable[..., Result]


@pytest.fixture
def hv(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLES / HV, tmp_path / HV))


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask) and None
    os.umask(old)


def _tmp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock")))


def _sclearn(
    *args: str | Path, timeout: float = 60, **kw: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sclearn", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )  # type: ignore[call-overload]


# --- reading: regular files only --------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("command", ["check", "due", "collate"])
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "pledges"
    folder.mkdir()
    os.mkfifo(folder / "pipe.pledge.yaml")
    shutil.copy(EXAMPLES / HV, folder / HV)  # collate needs one readable file to go on
    try:
        r = _sclearn(
            command,
            folder,
            timeout=60,
            env={**os.environ, "SCLEARN_CACHE_DIR": str(tmp_path / "cache")},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`sclearn {command}` waited for ever on a named pipe")
    assert r.returncode == 2, r.stderr
    assert "pipe.pledge.yaml" in r.stdout + r.stderr
    assert "named pipe" in r.stdout + r.stderr


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.pledge.yaml").symlink_to("/dev/zero")
    r = _sclearn("check", tmp_path, timeout=60, preexec_fn=_limit_memory)
    assert r.returncode == 2, r.stderr
    assert "zero.pledge.yaml" in r.stdout and "is a device, not a regular file" in r.stdout


def test_size_limit_is_applied_to_what_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.pledge.yaml"
    big.write_bytes(b"# x\n" * 1000)
    read: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    with pytest.raises(InvalidFileError, match="more than the limit of 100 bytes"):
        read_source(big, max_bytes=100)
    assert sum(read) <= 101  # never the whole file


def test_a_folder_and_a_missing_file_still_say_so(tmp_path: Path) -> None:
    (tmp_path / "dir.pledge.yaml").mkdir()
    (tmp_path / "gone.pledge.yaml").symlink_to(tmp_path / "nowhere")
    with pytest.raises(InvalidFileError, match="is a folder"):
        read_source(tmp_path / "dir.pledge.yaml")
    with pytest.raises(InvalidFileError, match="link to a file that does not exist"):
        read_source(tmp_path / "gone.pledge.yaml")
    with pytest.raises(InvalidFileError, match="no such file"):
        read_source(tmp_path / "none.pledge.yaml")


# --- concurrent reviews -----------------------------------------------------------------------

CALLS = 50
WRITERS = 4


def _writer(path: str, writer: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One of four processes reviewing the same file at once, through the CLI's main()."""
    import contextlib
    import io

    from sclearn.cli import main

    results = []
    for call in range(CALLS):
        point = HV_POINTS[(writer * CALLS + call) % len(HV_POINTS)]
        item = f"writer {writer} call {call}"
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()) as err,
        ):
            code = main(
                [
                    "review",
                    path,
                    "--point",
                    point,
                    "--evidence",
                    item,
                    "--source",
                    "MR",
                    "--date",
                    "2027-05-01",
                ]
            )
        results.append((item, code, err.getvalue()))
    queue.put(results)


@pytest.mark.slow
def test_four_concurrent_reviewers_lose_nothing(hv: Path, catalogue: Catalogue) -> None:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(str(hv), w, queue)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    results = [r for _ in procs for r in queue.get(timeout=600)]
    for p in procs:
        p.join(timeout=60)
    assert len(results) == WRITERS * CALLS
    report = check_file(hv, catalogue)
    assert report.loaded is not None, report.problems
    pledge = report.loaded.pledge
    recorded = [
        e.text
        for entry in pledge.points.values()
        if entry and entry.review
        for e in entry.review.evidence
    ]
    saved = [item for item, code, _ in results if code == 0]
    for item, code, err in results:
        # A non-zero exit may only be a clean conflict that says nothing was written.
        assert code in (0, 3), f"{item}: exit {code}: {err}"
    assert sorted(recorded) == sorted(saved)  # every success is there, and nothing else
    assert len(saved) >= WRITERS * CALLS * 0.95  # waiting for the lock makes conflicts rare
    # Evidence without progress does not finish the review: it started, once, on that day.
    assert str(pledge.dates.review_started) == "2027-05-01" and pledge.dates.reviewed is None
    assert hv.read_text(encoding="utf-8").count("review_started:") == 1
    assert _tmp_files(hv.parent) == []


# --- outputs never replace a pledge -----------------------------------------------------------


def test_outputs_never_write_over_a_pledge(run: Run, hv: Path) -> None:
    before = hv.read_bytes()
    for args in (
        ("due", hv.parent, "--ics", hv),
        ("collate", hv.parent, "-o", hv),
        ("schema", "-o", hv),
        ("schema", "-o", hv, "--force"),
        ("render", hv, "-o", hv, "--force"),
    ):
        r = run(*args)
        assert r.code == 2, (args, r.text)
        assert "never writes an output over a pledge" in r.err, args
        assert hv.read_bytes() == before, args
    # Nor over a pledge saved under another name, nor under a new .pledge.yaml name.
    renamed = hv.with_name("sam-notes.yaml")
    renamed.write_bytes(before)
    r = run("schema", "-o", renamed, "--force")
    assert r.code == 2 and renamed.read_bytes() == before
    r = run("schema", "-o", hv.with_name("new.pledge.yaml"))
    assert r.code == 2 and not hv.with_name("new.pledge.yaml").exists()


def test_an_existing_file_of_another_kind_needs_force(run: Run, hv: Path) -> None:
    notes = hv.with_name("notes.txt")
    notes.write_text("my notes\n", encoding="utf-8")
    r = run("due", hv.parent, "--ics", notes, "--as-of", "2027-05-01")
    assert r.code == 2 and "add --force" in r.err
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    r = run("due", hv.parent, "--ics", notes, "--as-of", "2027-05-01", "--force")
    assert r.code == 0, r.text
    assert notes.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    # An earlier output of the same kind is simply replaced.
    ics = hv.with_name("reviews.ics")
    ics.write_text("old", encoding="utf-8")
    assert run("due", hv.parent, "--ics", ics, "--as-of", "2027-05-01").code == 0
    assert ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    schema = hv.with_name("schema.json")
    schema.write_text("{}", encoding="utf-8")
    assert run("schema", "-o", schema).code == 0 and len(schema.read_bytes()) > 100


# --- a review is checked before it is written -------------------------------------------------


@pytest.mark.parametrize("evidence", ["", "   ", "caf\udce9 visit"])
def test_a_review_that_would_break_the_file_writes_nothing(
    run: Run, hv: Path, catalogue: Catalogue, evidence: str
) -> None:
    before = hv.read_bytes()
    r = run("review", hv, "--point", "4", "--evidence", evidence, "--source", "MR")
    assert r.code == 2, r.text
    assert hv.read_bytes() == before
    assert check_file(hv, catalogue).loaded is not None


def test_the_new_text_is_validated_before_writing(
    hv: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sclearn.core.errors import SclearnError
    from sclearn.services import review as rv
    from sclearn.services import review_edit

    session = rv.Session(hv, catalogue)
    before = hv.read_bytes()
    # A value the model refuses (progress must be one of three words), put in behind the
    # checks that record() makes, stands for any change that would break the file.
    node = session.doc.data["points"]["assessment"]
    review_edit.review_map(node, session.lp.framework)["progress"] = "sort of"
    with pytest.raises(SclearnError, match="was not changed"):
        session.save()
    assert hv.read_bytes() == before


# --- links, read-only pledges, modes ----------------------------------------------------------


def test_a_review_through_a_link_writes_the_real_pledge(
    run: Run, hv: Path, catalogue: Catalogue
) -> None:
    link = hv.parent / "shortcut.pledge.yaml"
    link.symlink_to(hv)
    r = run("review", link, "--point", "4", "--evidence", "Audit", "--source", "MR")
    assert r.code == 0, r.text
    assert link.is_symlink() and link.resolve() == hv.resolve()
    review = check_file(hv, catalogue).loaded.pledge.points["assessment"].review  # type: ignore[union-attr]
    assert review is not None and [e.text for e in review.evidence] == ["Audit"]
    assert _tmp_files(hv.parent) == []


def test_a_read_only_pledge_is_refused(run: Run, hv: Path) -> None:
    hv.chmod(0o444)
    before = hv.read_bytes()
    r = run("review", hv, "--point", "4", "--evidence", "Audit", "--source", "MR")
    assert r.code == 2
    assert f"{hv} is read-only; ask its owner or make it writable, then run again" in r.err
    assert hv.read_bytes() == before and stat.S_IMODE(hv.stat().st_mode) == 0o444


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664)])
def test_new_files_get_the_mode_the_umask_gives(
    run: Run, tmp_path: Path, umask: Callable[[int], None], mask: int, mode: int
) -> None:
    umask(mask)
    assert (
        run("new", "--name", "Sam", "--kind", "individual", "-o", tmp_path, "--no-input").code == 0
    )
    pledge = tmp_path / "sam.pledge.yaml"
    assert run("render", pledge, "-o", tmp_path / "sam.html").code == 0
    assert run("schema", "-o", tmp_path / "schema.json").code == 0
    for made in (pledge, tmp_path / "sam.html", tmp_path / "schema.json"):
        assert stat.S_IMODE(made.stat().st_mode) == mode, made


def test_a_rewrite_keeps_the_files_mode(run: Run, hv: Path, umask: Callable[[int], None]) -> None:
    umask(0o077)
    hv.chmod(0o664)
    assert run("review", hv, "--point", "4", "--evidence", "Audit", "--source", "MR").code == 0
    assert stat.S_IMODE(hv.stat().st_mode) == 0o664
    report = hv.with_name("report.html")
    report.write_text("old", encoding="utf-8")
    report.chmod(0o640)
    assert run("render", hv, "-o", report).code == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o640


# --- temporary files never stay behind --------------------------------------------------------


def test_a_failed_rename_leaves_no_temporary_file(
    run: Run, hv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = hv.read_bytes()

    def crash(*args: object) -> None:
        raise RuntimeError("crash")

    monkeypatch.setattr(os, "replace", crash)
    monkeypatch.setenv("SCLEARN_DEBUG", "")
    r = run("review", hv, "--point", "4", "--evidence", "Audit", "--source", "MR")
    assert r.code == 70
    assert hv.read_bytes() == before and _tmp_files(hv.parent) == []


STOP_MID_WRITE = """
import os, signal, sys
from sclearn.cli import main
real_fsync = os.fsync
def fsync(fd):
    os.kill(os.getpid(), signal.SIGTERM)  # the terminal window closed while saving
    real_fsync(fd)
os.fsync = fsync
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGTERM handlers on Windows")
def test_a_stop_while_saving_leaves_no_temporary_file(hv: Path) -> None:
    before = hv.read_bytes()
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            STOP_MID_WRITE,
            "review",
            str(hv),
            "--point",
            "4",
            "--evidence",
            "Audit",
            "--source",
            "MR",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 130, r.stderr
    assert hv.read_bytes() == before and _tmp_files(hv.parent) == []


def test_a_temporary_file_left_by_a_killed_sclearn_is_cleared(run: Run, hv: Path) -> None:
    stale = hv.parent / f".{hv.name}.k3j_x9a2.tmp"
    stale.write_bytes(hv.read_bytes())
    assert run("review", hv, "--point", "4", "--evidence", "Audit", "--source", "MR").code == 0
    assert _tmp_files(hv.parent) == []


# --- failures name the user's file ------------------------------------------------------------


def test_a_read_only_folder_names_the_pledge(
    run: Run, hv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kw: object) -> None:
        raise PermissionError(
            errno.EACCES, "Permission denied", str(hv.parent / f".{hv.name}.abcdefgh.tmp")
        )

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    before = hv.read_bytes()
    r = run("review", hv, "--point", "4", "--evidence", "Audit", "--source", "MR")
    assert r.code != 0 and ".tmp" not in r.err
    assert str(hv) in r.err and "Permission denied" in r.err and "is unchanged" in r.err
    assert hv.read_bytes() == before


def test_a_full_disk_names_the_file_and_keeps_the_original(
    run: Run, hv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    before = hv.read_bytes()
    r = run("review", hv, "--point", "4", "--evidence", "Audit", "--source", "MR")
    assert r.code == 2
    assert f"{hv}: could not be saved: the disk is full (No space left on device)" in r.err
    assert f"{hv} is unchanged" in r.err
    assert hv.read_bytes() == before and _tmp_files(hv.parent) == []


def test_new_from_csv_stopping_part_way_lists_what_was_written(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "name,kind\nAna,individual\nBen,individual\nCat,individual\nDev,individual\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    real_fsync = os.fsync
    calls: list[int] = []

    def fill_up(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 4:  # Ana, Ana's schema, Ben, then Cat: the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fill_up)
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 2
    text = " ".join(r.err.split())
    assert "stopped at row 4" in text and "No space left on device" in text
    assert f"row 2: {out / 'ana.pledge.yaml'}" in text
    assert f"row 3: {out / 'ben.pledge.yaml'}" in text
    assert sorted(p.name for p in out.glob("*.pledge.yaml")) == [
        "ana.pledge.yaml",
        "ben.pledge.yaml",
    ]


def test_the_lock_nests_and_is_removed(hv: Path) -> None:
    with write.pledge_lock(hv), write.pledge_lock(hv):
        assert (hv.parent / f".{hv.name}.lock").exists()
    assert _tmp_files(hv.parent) == []


def test_a_signal_handler_is_put_back(hv: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    write.write_output(hv.with_name("x.html"), b"<p>x</p>")
    assert signal.getsignal(signal.SIGTERM) == before
