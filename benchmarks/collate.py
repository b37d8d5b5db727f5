"""Collation speed and memory at county scale.

Generates N pledge files of about 15 KB (default 10,000), then measures, on this machine:

* the baseline: a single-process parse of every file with libyaml's C safe loader;
* a cold collation (empty cache) and a warm one (nothing changed, the best of three), as
  `sclearn collate --format json` runs them;
* the peak memory of a collation of N/4 files and of N files, each in a fresh process;
* json, html and xlsx collations of the same files side by side (warm cache, each in a fresh
  process), with the ratios to json: the goal is xlsx at most 2 times json;
* the item table written by openpyxl's write-only mode and by XlsxWriter's constant-memory
  mode (the workbook's writer), same rows, same process.

It prints the figures and the ratios the project aims for (issue 18): cold at most 0.3 times
the baseline, warm at most 0.05, memory flat in the number of files. Every time is a whole
fresh process, start-up included, and every memory figure counts the worker processes too.
Usage: python benchmarks/collate.py [N]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus import generate  # noqa: E402

from sclearn.services.collate import RACY_NS  # noqa: E402

_PYCACHE = Path(tempfile.gettempdir()) / "sclearn-bench-pycache"


def bench_env(**extra: str) -> dict[str, str]:
    """The environment for the processes measured: sclearn's bytecode compiled once, reused.

    An installed sclearn has its bytecode (pip compiles it), and so does any library; a shell
    with PYTHONDONTWRITEBYTECODE set (this project's machines have it) would otherwise compile
    every sclearn module again in every process measured, and nothing of the bare commands
    it is compared with."""
    return {**_compiled_env(), **extra}


@functools.cache
def _compiled_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(_PYCACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    source = str(ROOT / "src" / "sclearn")
    subprocess.run([sys.executable, "-m", "compileall", "-q", source], env=env, check=True)
    return env


def baseline(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        # The corpus holds some broken files, as real folders do.
        with contextlib.suppress(yaml.YAMLError):
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def _tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants (its worker processes), in KiB,
    from /proc; 0 where there is no /proc."""
    children: dict[int, list[int]] = {}
    pages: dict[int, int] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            pid = int(entry.name)
            children.setdefault(int(fields[1]), []).append(pid)
            pages[pid] = int(fields[21])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += pages.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total * os.sysconf("SC_PAGE_SIZE") // 1024


def measure(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds of one fresh process, output discarded, and the peak resident memory
    (KiB) of it and its workers together, sampled every 50 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env
    )
    peak = 0
    while True:
        peak = max(peak, _tree_rss_kib(proc.pid))
        try:
            proc.wait(timeout=0.05)  # returns the moment the process ends: the time is exact
        except subprocess.TimeoutExpired:
            continue
        return time.perf_counter() - start, peak


def collate_in_subprocess(
    folder: Path, cache: Path, fmt: str = "json", output: str = ""
) -> tuple[float, int]:
    """Seconds (start-up included) and peak resident memory (KiB, its workers included) of
    one `sclearn collate --format FMT` in a fresh process.

    The output goes to a file beside the cache (sclearn refuses to replace /dev/null, which
    is not a regular file): a run that stopped with an error must not pass for a fast one.
    """
    output = output or str(cache.parent / f"out-{cache.name}.{fmt}")
    Path(output).unlink(missing_ok=True)
    args = [sys.executable, "-m", "sclearn", "collate", str(folder), "--format", fmt]
    args += ["-o", output, "--quiet", "--force", "--as-of", "2026-11-26"]
    took = measure(args, bench_env(SCLEARN_CACHE_DIR=str(cache)))
    if not Path(output).is_file():
        raise SystemExit(f"sclearn collate --format {fmt} wrote nothing: the figures would lie")
    return took


def formats(folder: Path, cache: Path, out: Path) -> None:
    """json, html and xlsx of the same files, each after a run that fills the cache."""
    times = {}
    for fmt in ("json", "html", "xlsx"):
        target = str(out / f"collation.{fmt}")
        collate_in_subprocess(folder, cache, fmt, target)  # the texts cached too
        times[fmt] = collate_in_subprocess(folder, cache, fmt, target)[0]
    for fmt, took in times.items():
        print(
            f"collate --format {fmt:5}    {took:8.2f} s   ratio to json {took / times['json']:.2f}"
        )
    print("  (goal: xlsx at most 2 times json)")


def writers(folder: Path) -> None:
    """The same item table written by openpyxl (write-only) and XlsxWriter (constant memory)."""
    import io

    from openpyxl import Workbook

    from sclearn.files.frameworks import Catalogue
    from sclearn.services.collate import Options, collate
    from sclearn.services.collate.workbook import _Book, _item

    collation = collate([folder], Catalogue.load(), Options(as_of=dt.date(2026, 11, 26)))
    columns = collation.columns()
    rows = [_item(columns, row) for row in collation.rows()]
    collation.close()
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Items")
    ws.append(list(columns))
    for row in rows:
        ws.append(row)
    wb.save(io.BytesIO())
    openpyxl_s = time.perf_counter() - start
    start = time.perf_counter()
    book = _Book(io.BytesIO())
    book.sheet("Items", list(columns), rows)
    book.wb.close()
    xlsxwriter_s = time.perf_counter() - start
    print(
        f"item table, {len(rows):,} rows: openpyxl write-only {openpyxl_s:.2f} s, "
        f"XlsxWriter constant-memory {xlsxwriter_s:.2f} s, ratio {openpyxl_s / xlsxwriter_s:.2f}"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        big, small = root / "big", root / "small"
        print(f"Generating {count:,} pledge files...", flush=True)
        generate(big, count, seed=1, as_of=dt.date(2026, 11, 26), padding=2)
        generate(small, count // 4, seed=2, as_of=dt.date(2026, 11, 26), padding=2)
        # Real pledge files were not written a moment ago. Files changed within the last few
        # seconds are always read again (a same-size edit could hide inside the file system's
        # timestamp granularity), so wait that long before measuring.
        time.sleep(RACY_NS / 1e9)
        files = sorted(big.rglob("*.pledge.yaml"))
        size = sum(p.stat().st_size for p in files) / len(files)
        print(f"Average file size: {size / 1024:.1f} KB; CPUs: {os.cpu_count()}")

        base = baseline(files)
        cold, cold_mem = collate_in_subprocess(big, root / "cache")
        # The best of three: on a shared machine one run can be slowed by anything else.
        warm, warm_mem = min(collate_in_subprocess(big, root / "cache") for _ in range(3))
        _, small_mem = collate_in_subprocess(small, root / "cache-small")

        print(f"C safe parse, one process:  {base:8.2f} s")
        print(
            f"collate, cold cache:        {cold:8.2f} s   ratio to baseline {cold / base:.2f}"
            "  (goal <= 0.3)"
        )
        print(
            f"collate, warm cache:        {warm:8.2f} s   ratio to baseline {warm / base:.3f}"
            " (goal <= 0.05)"
        )
        print(f"peak memory, {count // 4:,} files:   {small_mem / 1024:8.1f} MiB")
        print(
            f"peak memory, {count:,} files:  {cold_mem / 1024:8.1f} MiB   ratio "
            f"{cold_mem / small_mem:.2f} (goal: about 1, flat in the number of files)"
        )
        print(f"peak memory, warm run:      {warm_mem / 1024:8.1f} MiB")
        formats(big, root / "cache", root)
        writers(small)


if __name__ == "__main__":
    main()
