"""`sclearn render FOLDER` against the one-core libyaml floor, side by side in one run.

Generates N pledge files (default 1,000), then prints the floor (libyaml's C parse of every
file, one process) and `sclearn render FOLDER -o OUT/` as HTML and as Markdown, each a whole
fresh process, with the ratio to the floor. Goal (issue 18): at most 2 times the floor.
Usage: python benchmarks/render.py [N]
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.collate import baseline, bench_env, measure  # noqa: E402
from tests.corpus import generate  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    env = bench_env()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "pledges"
        generate(folder, count, seed=1, as_of=dt.date(2026, 11, 26), padding=2)
        floor = baseline(sorted(folder.rglob("*.pledge.yaml")))
        print(f"{count:,} files: libyaml parse, one core {floor:6.2f} s (the floor)")
        for fmt in ("html", "md"):
            out = root / f"out-{fmt}"
            args = [sys.executable, "-m", "sclearn", "render", str(folder), "--format", fmt]
            seconds, peak = measure([*args, "-o", f"{out}/", "--as-of", "2026-11-26"], env)
            written = len(list(out.iterdir())) if out.is_dir() else 0
            if not written:
                raise SystemExit(f"render --format {fmt} wrote nothing: the figures would lie")
            print(
                f"  render FOLDER --format {fmt:4} {seconds:6.2f} s = {seconds / floor:.2f}x "
                f"the floor (goal <= 2), {written:,} reports, peak {peak / 1024:.0f} MiB"
            )
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
