#!/usr/bin/env bash
# `make wheel`: build the sdist and the wheel (the wheel from the sdist, so a file the sdist lacks
# shows up here), install the wheel with the locked runtime dependencies into a throwaway venv,
# and run the main commands from another folder, as a user would after `pip install sclearn`.
set -euo pipefail
BIN=$1          # the development venv's bin folder (has build and hatchling, from the lock)
PYTHON=$2       # the Python that creates the throwaway venv
RUNTIME_LOCK=$3 # exact pins of the runtime dependencies
ROOT=$(pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
step() { printf '== wheel: %s\n' "$*"; }

step "building the sdist, then the wheel from it (dist/)"
rm -rf dist
if ! "$BIN/python" -m build --no-isolation --outdir dist . >"$WORK/build.log" 2>&1; then
    cat "$WORK/build.log"
    exit 1
fi
ls dist

step "installing the wheel into a fresh venv"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet -r "$RUNTIME_LOCK"
"$WORK/venv/bin/python" -m pip install --quiet --no-deps dist/sclearn-*.whl
"$WORK/venv/bin/python" -m pip check

step "running sclearn from another folder"
SCLEARN="$WORK/venv/bin/sclearn"
mkdir "$WORK/elsewhere"
cd "$WORK/elsewhere"
"$SCLEARN" --version
"$SCLEARN" framework list >/dev/null
"$SCLEARN" new --no-input --name "Sam Patel" --kind individual --email x@example.org \
    -o pledges/ >/dev/null
# A new file is incomplete: check must say so and exit 1 (2 would mean it could not read it).
status=0
"$SCLEARN" check pledges >"$WORK/check.txt" || status=$?
if [ "$status" -ne 1 ] || ! grep -q "stage 1 incomplete" "$WORK/check.txt"; then
    cat "$WORK/check.txt"
    echo "wheel: expected 'sclearn check' to report an incomplete stage 1 (exit 1), got $status"
    exit 1
fi
"$SCLEARN" check "$ROOT/examples/sarah-whitfield.pledge.yaml" --as-of 2026-11-26 >/dev/null
"$SCLEARN" render pledges -o reports/ >/dev/null
grep -q "Sam Patel" reports/sam-patel.html
step "ok"
