"""Every way a command can stop, and the exit status it stops with (README "Exit statuses")."""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from sclearn.cli import boundary
from sclearn.core import errors
from sclearn.files.frameworks import Catalogue

from .conftest import EXAMPLES, ROOT, Result

SCLEARN = Path(sys.executable).parent / "sclearn"  # the installed script, as users run it
Run = Callable[..., Result]


def exit_constants() -> dict[str, int]:
    return {
        name: value
        for module in (errors, boundary)
        for name, value in vars(module).items()
        if name.startswith("EXIT_")
    }


# --- wrong use: typer's usage message and exit 2 ----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["chek"],
        ["check"],
        ["check", "--bogus", "x"],
        ["due", "--within"],
        ["due", "--within", "abc"],
        ["framework"],
        ["framework", "shwo"],
    ],
)
def test_wrong_use_gives_usage_and_exit_2(run: Run, args: list[str]) -> None:
    r = run(*args)
    assert r.code == errors.EXIT_INVALID == 2
    assert "unexpected problem" not in r.text and "crash log" not in r.text
    # typer's own words: its usage line and "Error: ...", or the help when no command is given
    assert "Error: " in r.err or "Commands" in r.err


def test_typo_suggests_the_command(run: Run) -> None:
    r = run("chek")
    assert "No such command 'chek'" in r.err and "check" in r.err
    assert "Try 'sclearn --help' for help." in r.err


def test_no_command_shows_help_on_stderr(run: Run) -> None:
    r = run()
    assert r.code == 2 and "check" in r.err and "review" in r.err and r.out == ""


def test_no_click_in_sources() -> None:
    # typer 0.29 raises its own copies of click's exceptions: catching click's misses them all.
    found = [
        str(p)
        for p in (ROOT / "src").rglob("*.py")
        if re.search(
            r"^\s*(import click|from click|.*typer\._click)", p.read_text(encoding="utf-8"), re.M
        )
    ]
    assert not found


# --- review of a point the file has no entry for ------------------------------------------------


def test_review_point_with_no_entry(run: Run, new_file: Callable[..., Path]) -> None:
    path = new_file()
    text = path.read_text(encoding="utf-8")
    start = text.index("  wider-family-and-community:")
    end = text.index("\n\n", start)
    path.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    before = path.read_bytes()
    r = run("review", path, "--point", "3", "--evidence", "x", "--source", "MR", "--no-input")
    assert r.code == 2
    assert "point 3" in r.err and "has no entry in" in r.err and "pledges" in r.err
    assert "KeyError" not in r.text and "unexpected" not in r.text
    assert path.read_bytes() == before


# --- text that is not UTF-8 -------------------------------------------------------------------

BAD = b"\xffname".decode("utf-8", "surrogateescape")  # how Python hands such bytes over


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["new", "--kind", "individual", "--name", BAD], "--name"),
        (["new", "--kind", "team", "--name", "T", "--member", "A", "--member", BAD], "--member"),
        (["new", "--kind", "individual", "--name", "Sam", "--role", BAD], "--role"),
        (["new", "--kind", "individual", "--name", "Sam", f"--work-base={BAD}"], "--work-base"),
        (["framework", "show", BAD], "ITEM"),
    ],
)
def test_text_that_is_not_utf8_is_refused(
    run: Run, tmp_path: Path, args: list[str], option: str
) -> None:
    r = run(*args, *(["--no-input", "-o", tmp_path] if args[0] == "new" else []))
    assert r.code == 2
    assert option in r.err and "not valid text (UTF-8)" in r.err
    assert "unexpected" not in r.text
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "option", [["--evidence", BAD, "--source", "MR"], ["--notes", BAD], ["--progress", BAD]]
)
def test_review_text_that_is_not_utf8_is_refused(
    run: Run, tmp_path: Path, option: list[str]
) -> None:
    path = tmp_path / "jo.pledge.yaml"
    shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", path)
    before = path.read_bytes()
    r = run("review", path, "--point", "1", *option, "--no-input")
    assert r.code == 2 and option[0] in r.err and "UTF-8" in r.err
    assert path.read_bytes() == before


def test_real_bytes_on_the_command_line(tmp_path: Path) -> None:
    r = subprocess.run(
        [
            bytes(SCLEARN),
            b"new",
            b"--kind",
            b"individual",
            b"--name",
            b"\xff",
            b"--no-input",
            b"-o",
            bytes(tmp_path),
        ],
        capture_output=True,
    )
    assert r.returncode == 2 and b"--name" in r.stderr and b"UTF-8" in r.stderr
    assert b"Traceback" not in r.stderr and list(tmp_path.iterdir()) == []


def test_a_file_name_need_not_be_utf8(tmp_path: Path) -> None:
    name = bytes(tmp_path) + b"/\xff.pledge.yaml"
    shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", os.fsdecode(name))
    r = subprocess.run([bytes(SCLEARN), b"check", name], capture_output=True)
    assert r.returncode in (0, 1), r.stderr
    assert b"UTF-8" not in r.stderr


# --- stops: Ctrl-C and Ctrl-D at a real terminal ------------------------------------------------


def _terminal_run(
    args: Sequence[str | Path], steps: Sequence[tuple[str, bytes]], cwd: Path
) -> tuple[int, str]:
    """Run the installed sclearn on a pseudo-terminal; at each expected text, type the bytes."""
    master, slave = os.openpty()
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.Popen(
        [str(SCLEARN), *map(str, args)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
        start_new_session=True,
        # The terminal becomes the controlling one, so Ctrl-C is a real SIGINT.
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )
    os.close(slave)
    seen = b""

    def read() -> bool:
        nonlocal seen
        ready, _, _ = select.select([master], [], [], 90)
        if not ready:
            raise AssertionError(f"no output in 90 s; so far: {seen!r}")
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end has closed (EIO on Linux)
            return False
        seen += chunk
        return bool(chunk)

    try:
        for expect, keys in steps:
            while expect.encode() not in seen.rsplit(b"\n", 1)[-1]:
                assert read(), f"ended before {expect!r}: {seen!r}"
            _wait_until_reading(proc.pid)
            os.write(master, keys)
            seen += b"\n"  # the next step waits for the next question, not this one
        while read():
            pass
        # rich wraps at the terminal's width: compare words, not line breaks.
        return proc.wait(timeout=90), " ".join(seen.decode("utf-8", "replace").split())
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()


def _wait_until_reading(pid: int) -> None:
    """Wait until the process is blocked reading the terminal, as it is when a person types.

    The question appears a moment before ``input()`` starts to read. A Ctrl-C typed in that
    moment (no person is that quick, a script is) is caught by Python's handler, but the
    ``read()`` that follows does not see it and waits for ever: CPython's race, not sclearn's.
    Where /proc is missing, a pause longer than the window serves.
    """
    deadline = time.monotonic() + 20
    wchan = Path(f"/proc/{pid}/wchan")
    while time.monotonic() < deadline:
        try:
            if wchan.read_text() in {"wait_woken", "n_tty_read"}:
                return
        except OSError:
            time.sleep(0.3)
            return
        time.sleep(0.01)


needs_terminal = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")


@needs_terminal
@pytest.mark.parametrize("keys", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_stopping_new_writes_nothing(tmp_path: Path, keys: bytes) -> None:
    code, text = _terminal_run(
        ["new", "-o", tmp_path],
        [
            ("individual or a team", b"individual\r"),
            ("Your name", b"Sam Patel\r"),
            ("Your job title", keys),
        ],
        tmp_path,
    )
    assert code == boundary.EXIT_STOPPED == 130, text
    assert "Stopped. Nothing was written." in text
    assert "unexpected" not in text and "Abort" not in text
    assert list(tmp_path.iterdir()) == []


@needs_terminal
@pytest.mark.parametrize("keys", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_stopping_a_review_keeps_every_answer(tmp_path: Path, keys: bytes) -> None:
    path = tmp_path / "jo.pledge.yaml"
    shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", path)
    code, text = _terminal_run(
        ["review", path, "--all"],
        [
            ("Review this point now?", b"y\r"),
            ("Evidence of improved practice", b"Audit shows plans name the child\r"),
            ("Source of this evidence", b"MR\r"),
            ("Evidence of improved practice", keys),
        ],
        tmp_path,
    )
    assert code == 130, text
    assert "Stopped. Everything you entered is saved." in text
    assert "unexpected" not in text
    assert "Audit shows plans name the child, source: MR" in path.read_text(encoding="utf-8")


@needs_terminal
def test_stopping_before_a_source_says_that_evidence_is_not_saved(tmp_path: Path) -> None:
    path = tmp_path / "jo.pledge.yaml"
    shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", path)
    before = path.read_bytes()
    code, text = _terminal_run(
        ["review", path, "--all"],
        [
            ("Review this point now?", b"y\r"),
            ("Evidence of improved practice", b"Audit shows plans name the child\r"),
            ("Source of this evidence", b"\x03"),
        ],
        tmp_path,
    )
    assert code == 130, text
    assert "except the last evidence, which had no source yet" in text
    assert path.read_bytes() == before


def test_ctrl_c_anywhere_else(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> Catalogue:
        raise KeyboardInterrupt

    monkeypatch.setattr(Catalogue, "load", interrupted)
    r = run("framework", "list")
    assert r.code == 130 and r.err.strip() == "Stopped."


# --- unexpected problems: a crash log, one plain line, exit 70 -----------------------------------


def _boom(*args: object, **kwargs: object) -> Catalogue:
    raise RuntimeError("boom")


def test_unexpected_problem_writes_a_crash_log(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SCLEARN_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(Catalogue, "load", _boom)
    r = run("framework", "list", "--quiet-please")  # not an option: typer refuses it first
    assert r.code == 2
    r = run("framework", "list", "my folder")
    assert r.code == boundary.EXIT_INTERNAL == 70
    [log] = (tmp_path / "logs").iterdir()
    assert str(log) in r.err.replace("\n", "") and "training team" in r.err
    assert "Traceback" not in r.text and "boom" not in r.text
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: boom" in text and "Traceback" in text
    assert "command: sclearn framework list 'my folder'" in text
    for key in ("sclearn:", "python:", "os:", "typer:", "ruamel.yaml:", "pydantic:"):
        assert f"\n{key} " in text


def test_crash_log_that_cannot_be_written(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv("SCLEARN_LOG_DIR", str(tmp_path / "file" / "logs"))
    monkeypatch.setattr(Catalogue, "load", _boom)
    r = run("framework", "list")
    assert r.code == 70
    assert "could not write a crash log" in r.err and "SCLEARN_DEBUG=1" in r.err
    assert "Traceback" not in r.text


def test_debug_shows_the_traceback(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCLEARN_DEBUG", "1")
    monkeypatch.setattr(Catalogue, "load", _boom)
    with pytest.raises(RuntimeError, match="boom"):
        run("framework", "list")


# --- a reader that stops reading -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["check", str(EXAMPLES)], ["check", str(EXAMPLES), "--format", "json"], ["--help"]]
)
def test_broken_pipe_is_quiet(args: list[str]) -> None:
    proc = subprocess.Popen([SCLEARN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -0`: nobody reads
    stderr = proc.stderr.read()
    assert proc.wait(timeout=30) == boundary.EXIT_BROKEN_PIPE == 141
    assert stderr == b""


# --- the README's table ---------------------------------------------------------------------------


def test_every_exit_status_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit statuses", 1)[1].split("\n## ", 1)[0]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \|", section, re.M)}
    constants = exit_constants()
    assert set(constants.values()) == documented, constants
    assert len(set(constants.values())) == len(constants)  # one meaning per status
