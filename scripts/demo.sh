#!/usr/bin/env bash
set -euo pipefail
BIN=$1; OUT=$2
mkdir -p "$OUT"
"$BIN/sclearn" framework list
"$BIN/sclearn" framework show 4
