"""The fast parser path against the one-core libyaml floor, side by side in one run.

For each count (default 1,000 and 3,000 generated pledges of about 15 KB) it prints the floor
(libyaml's C parse of every file, one process) and `sclearn collate --format json`, cold and
warm, with the fast parser on and off (SCLEARN_PARSER=careful), as ratios to the floor.
Goals: cold at most 0.3 times the floor, warm at most 0.05. Usage: python benchmarks/parse.py
[N ...]
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.collate import baseline, bench_env  # noqa: E402
from tests.corpus import generate  # noqa: E402

from sclearn.services.collate import RACY_NS  # noqa: E402


def collate(folder: Path, cache: Path, careful: bool) -> float:
    """Wall seconds of one `sclearn collate --format json` in a fresh process."""
    env = bench_env(SCLEARN_CACHE_DIR=str(cache))
    env.pop("SCLEARN_PARSER", None)
    if careful:
        env["SCLEARN_PARSER"] = "careful"
    args = [sys.executable, "-m", "sclearn", "collate", str(folder), "--format", "json"]
    start = time.perf_counter()
    out = cache.with_suffix(".json")
    # The corpus holds broken files, as real folders do, so the exit status is not 0.
    subprocess.run(
        [*args, "-o", str(out), "--force", "--quiet", "--as-of", "2026-11-26"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert out.exists()
    return time.perf_counter() - start


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [1_000, 3_000]
    print(f"CPUs: {os.cpu_count()}")
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            generate(root / "p", count, seed=1, as_of=dt.date(2026, 11, 26), padding=2)
            time.sleep(RACY_NS / 1e9)  # files this new are always read again
            floor = baseline(sorted((root / "p").rglob("*.pledge.yaml")))
            print(f"\n{count:,} files: libyaml parse, one core {floor:6.2f} s (the floor)")
            for label, careful in (("fast path", False), ("careful only", True)):
                cache = root / f"cache-{careful}"
                cold = collate(root / "p", cache, careful)
                warm = collate(root / "p", cache, careful)
                print(
                    f"  collate, {label:12}  cold {cold:6.2f} s = {cold / floor:.2f}x   "
                    f"warm {warm:6.2f} s = {warm / floor:.3f}x"
                )


if __name__ == "__main__":
    main()
