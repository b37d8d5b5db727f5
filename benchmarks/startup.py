"""Start-up and `check` speed, side by side in one run on this machine.

Prints, each the best of a few runs of a fresh process:

* a bare Typer command and a bare click command (what any Python command line pays);
* `sclearn --help` and `sclearn check FILE` (one of the examples);
* `sclearn check FOLDER` of N generated pledge files (default 3,000), output to /dev/null,
  beside the one-core libyaml parse of the same files (the floor benchmarks/collate.py uses);
* the peak memory of `check FOLDER` over 1,000 files and over M files (default 10,000).

Goals (issue 18): `check FILE` no slower than the bare Typer command; `check FOLDER` at most
0.5 times the floor; memory flat in the number of files.
Usage: python benchmarks/startup.py [N [M]]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.collate import baseline, bench_env, measure  # noqa: E402
from tests.corpus import generate  # noqa: E402

ENV = bench_env()

BARE_TYPER = """
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(name)


app()
"""

BARE_CLICK = """
import click


@click.command()
@click.option("--name", default="world")
def hello(name):
    print(name)


hello()
"""


def run(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB, workers included) of one fresh process."""
    return measure(args, ENV)


def best(commands: dict[str, list[str]], rounds: int) -> dict[str, tuple[float, int]]:
    """The best time of each command, the commands taking turns so load hits them alike."""
    times: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, args in commands.items():
            times[name].append(run(args))
    return {name: min(runs) for name, runs in times.items()}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000
    most = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    python = sys.executable
    sclearn = [python, "-m", "sclearn"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "typer_app.py").write_text(textwrap.dedent(BARE_TYPER), encoding="utf-8")
        (root / "click_app.py").write_text(textwrap.dedent(BARE_CLICK), encoding="utf-8")
        example = str(ROOT / "examples" / "jo-hartley.pledge.yaml")
        start = best(
            {
                "bare click command": [python, str(root / "click_app.py")],
                "bare Typer command": [python, str(root / "typer_app.py")],
                "sclearn --help": [*sclearn, "--help"],
                "sclearn check FILE": [*sclearn, "check", example],
            },
            rounds=7,
        )
        typer_s = start["bare Typer command"][0]
        for name, (seconds, _) in start.items():
            print(f"{name:<22} {seconds * 1000:7.0f} ms   {seconds / typer_s:5.2f}x bare Typer")

        big, small, huge = root / "big", root / "small", root / "huge"
        print(f"\nGenerating {count:,}, 1,000 and {most:,} pledge files...", flush=True)
        generate(big, count, seed=1, as_of=dt.date(2026, 11, 26), padding=2)
        generate(small, 1_000, seed=2, as_of=dt.date(2026, 11, 26), padding=2)
        generate(huge, most, seed=3, as_of=dt.date(2026, 11, 26), padding=2)
        floor = baseline(sorted(big.rglob("*.pledge.yaml")))
        as_of = ["--as-of", "2026-11-26"]
        folder, big_mem = run([*sclearn, "check", str(big), *as_of])
        _, json_mem = run([*sclearn, "check", str(big), "--format", "json", *as_of])
        _, small_mem = run([*sclearn, "check", str(small), *as_of])
        _, huge_mem = run([*sclearn, "check", str(huge), *as_of])
        print(f"libyaml C parse, one core, {count:,} files: {floor:7.2f} s")
        print(
            f"check FOLDER, {count:,} files, text:     {folder:7.2f} s   "
            f"{folder / floor:.2f}x the floor (goal <= 0.5)"
        )
        print(f"peak memory, check of 1,000 files:      {small_mem / 1024:7.1f} MiB")
        print(
            f"peak memory, check of {count:,} files:      {big_mem / 1024:7.1f} MiB   "
            f"{big_mem / small_mem:.2f}x (goal: about 1)"
        )
        print(f"peak memory, same as JSON:              {json_mem / 1024:7.1f} MiB")
        print(
            f"peak memory, check of {most:,} files:     {huge_mem / 1024:7.1f} MiB   "
            f"{huge_mem / small_mem:.2f}x the 1,000 files (goal: about 1)"
        )


if __name__ == "__main__":
    main()
