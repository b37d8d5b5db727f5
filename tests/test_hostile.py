"""Hostile and broken input against every command; data safety when writers crash or race."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sclearn.services.check import check_file

from .conftest import EXAMPLES

HOSTILE = Path(__file__).parent / "hostile"
NAMES = sorted(p.name for p in HOSTILE.glob("*.pledge.yaml"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed hostile files plus those that cannot be committed."""
    folder = tmp_path_factory.mktemp("hostile")
    for name in NAMES:
        shutil.copy(HOSTILE / name, folder)
    (folder / "a-folder.pledge.yaml").mkdir()
    (folder / "dangling-link.pledge.yaml").symlink_to(folder / "nowhere")
    (folder / "too-big.pledge.yaml").write_bytes(b"sclearn: 1\n" + b"# padding\n" * 300_000)
    return folder


def all_names(corpus: Path) -> list[str]:
    return sorted(p.name for p in corpus.iterdir() if p.name.endswith(".pledge.yaml"))


def one_line_each(text: str, corpus: Path, names: list[str]) -> None:
    for name in names:
        lines = [ln for ln in text.splitlines() if name in ln]
        assert lines, f"{name} not reported"


@pytest.mark.parametrize("command", ["check", "render", "review", "due", "migrate"])
def test_every_command_refuses_each_file_cleanly(run, corpus: Path, command: str) -> None:  # type: ignore[no-untyped-def]
    for name in all_names(corpus):
        path = corpus / name
        args = {
            "check": ("check", path),
            "render": ("render", path, "-o", corpus / "out/"),
            "review": ("review", path, "--point", "1", "--evidence", "x", "--source", "SR"),
            "due": ("due", path),
            "migrate": ("migrate", path, "--to", "1.1"),
        }[command]
        started = time.monotonic()
        r = run(*args)
        assert time.monotonic() - started < 10, f"{command} {name} took too long"
        assert r.code in (1, 2), (command, name, r.code, r.text)
        assert "Traceback" not in r.text and "unexpected problem" not in r.text
        assert name in r.text, (command, name, r.text)
        if name not in (
            "a-folder.pledge.yaml",
            "dangling-link.pledge.yaml",
            "too-big.pledge.yaml",
            "empty.pledge.yaml",
            "only-comments.pledge.yaml",
        ):
            assert f"{name}:" in r.text, (command, name, r.text)  # located: file:line


def test_collate_counts_the_good_files_beside_them(run, corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tree = tmp_path / "tree"
    shutil.copytree(corpus, tree, symlinks=True)
    shutil.copytree(EXAMPLES, tree / "good")
    for fmt in ("json", "md", "html", "csv"):
        r = run("collate", tree, "--format", fmt, "--as-of", "2026-11-26", "--quiet")
        assert r.code == 2 and "Traceback" not in r.text
    data = json.loads(run("collate", tree, "--format", "json", "--as-of", "2026-11-26").out)
    assert data["valid"] == 5 and data["collated"] == 5
    assert data["files"] == 5 + len(all_names(corpus))
    assert {Path(x["path"]).name for x in data["invalid"]} == set(all_names(corpus))
    assert all(x["error"] for x in data["invalid"])


def test_no_code_runs_from_a_tag(run, corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pledge.yaml"
    evil.write_text(
        f"sclearn: 1\nx: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    for args in (
        ("check", evil),
        ("render", evil),
        ("collate", evil, "--format", "json"),
        ("review", evil, "--scaffold"),
    ):
        run(*args)
    assert not marker.exists()


def test_a_killed_writer_leaves_the_old_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "p.pledge.yaml"
    path.write_bytes(b"sclearn: 1\n# the user's words\n")
    script = (
        "import os, time, sys\n"
        "from pathlib import Path\n"
        "from sclearn.files import write\n"
        "real = os.fsync\n"
        "def slow(fd):\n"
        "    real(fd); print('writing', flush=True); time.sleep(60)\n"
        "os.fsync = slow\n"
        f"write.atomic_write(Path({str(path)!r}), b'new' * 1000000, "
        f"expected_digest={__import__('hashlib').sha256(path.read_bytes()).hexdigest()!r})\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert path.read_bytes() == b"sclearn: 1\n# the user's words\n"


def test_two_writers_the_later_is_refused(tmp_path: Path, catalogue) -> None:  # type: ignore[no-untyped-def]
    from sclearn.core.errors import ConflictError
    from sclearn.files.roundtrip import load_document, save_document

    path = Path(shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", tmp_path))
    first, second = load_document(path), load_document(path)
    first.data["owner"]["role"] = "Senior Social Worker"
    assert save_document(first)
    second.data["owner"]["team"] = "Another team"
    with pytest.raises(ConflictError, match="changed on disk"):
        save_document(second)
    text = path.read_text(encoding="utf-8")
    assert "Senior Social Worker" in text and "Another team" not in text


yaml_text = st.text(
    st.sampled_from(list("ab:- \n\t#&*!|>'\"[]{},?%@`~0123456789é\r")), max_size=120
)


@pytest.mark.slow
@settings(max_examples=250, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        yaml_text.map(lambda t: t.encode("utf-8")),
        yaml_text.map(lambda t: ("sclearn: 1\nowner:\n  " + t).encode()),
    )
)
def test_fuzzed_input_never_crashes_check(data: bytes) -> None:
    import tempfile

    from sclearn.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pledge.yaml"
        path.write_bytes(data)
        code = main(["check", str(path), "--format", "json"])
    assert code in (0, 1, 2)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("name,kind\nSiân,individual\n".encode("cp1252"), "is not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is a binary file"),
        (b"kind,email\nteam,a@example.org\n", "has no 'name' column"),
        (b"", "has no 'name' column"),
    ],
)
def test_new_from_a_broken_spreadsheet(run, tmp_path: Path, raw: bytes, expected: str) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "people.csv"
    sheet.write_bytes(raw)
    r = run("new", "--from", sheet, "-o", tmp_path / "out")
    assert r.code == 2 and expected in r.err and "Traceback" not in r.text


def test_new_from_a_missing_spreadsheet_or_a_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for path, expected in ((tmp_path / "nope.csv", "no such file"), (tmp_path, "is a folder")):
        r = run("new", "--from", path, "-o", tmp_path / "out")
        assert r.code == 2 and expected in r.err and "Traceback" not in r.text


def test_new_from_a_hostile_spreadsheet(run, tmp_path: Path, catalogue) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        'name,kind,role\n"=HYPERLINK(""http://x"")",individual,"@SUM(1)"\n'
        '../../../etc/cron.d/x,team,\nCON,individual,"{{ 7 * 7 }}"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 0, r.text
    written = sorted(p.name for p in out.glob("*.pledge.yaml"))
    assert written == [
        "con-pledge.pledge.yaml",
        "etc-cron-d-x.pledge.yaml",
        "hyperlink-http-x.pledge.yaml",
    ]
    assert all(p.resolve().parent == out.resolve() for p in out.iterdir())
    for path in out.glob("*.pledge.yaml"):
        report = check_file(path, catalogue)
        assert report.status == "incomplete"
    lp = check_file(out / "con-pledge.pledge.yaml", catalogue).loaded
    assert lp is not None and lp.pledge.owner.role == "{{ 7 * 7 }}"


def test_file_system_errors_are_plain_messages(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    r = run("due", EXAMPLES, "--ics", blocker / "reviews.ics")
    assert r.code == 2 and "a-file" in r.err and "unexpected" not in r.err
    r = run("collate", EXAMPLES, "--format", "csv", "-o", blocker / "x.csv")
    assert r.code == 2 and "Traceback" not in r.text and "unexpected" not in r.err
