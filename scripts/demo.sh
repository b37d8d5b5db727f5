#!/usr/bin/env bash
# `make demo`: the main jobs on the bundled examples, with output in build/demo/.
set -uo pipefail
BIN=$1
OUT=$2
SCLEARN="$BIN/sclearn"
rm -rf "$OUT"
mkdir -p "$OUT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "The framework: areas and points"
"$SCLEARN" framework show

step "A new pledge file for a team (build/demo/new/)"
"$SCLEARN" new --name "Demo Family Support Team" --kind team --member "Sam Patel" \
    --member "Alex Morgan" --email demo@example.org --started 2026-11-26 \
    -o "$OUT/new/" --no-input

step "Checking the examples (one is deliberately incomplete, so this exits 1)"
"$SCLEARN" check examples --as-of 2026-11-26
echo "(exit status $?)"

step "Recording a six-month review on a copy of an example (build/demo/review/)"
mkdir -p "$OUT/review"
cp examples/erewash-health-visiting-team.pledge.yaml "$OUT/review/"
"$SCLEARN" review "$OUT/review/erewash-health-visiting-team.pledge.yaml" --point 4 \
    --evidence "Audit: 12 of 12 assessments updated after new concerns" --source MR \
    --progress positive-change --signs met --date 2027-04-01
echo "(one point of fourteen: the review is in progress, not finished)"

step "The line manager signs off stage 1 of the same copy, in supervision"
"$SCLEARN" signoff "$OUT/review/erewash-health-visiting-team.pledge.yaml" --stage 1 \
    --by "Anne Clarke" --role "Team Manager" --date 2026-10-12

step "The Appendix 1 form in Word for an example, and read back (build/demo/form/)"
mkdir -p "$OUT/form"
cp examples/jo-hartley.pledge.yaml "$OUT/form/"
"$SCLEARN" export "$OUT/form/jo-hartley.pledge.yaml" -o "$OUT/form/jo-hartley.docx"
"$SCLEARN" import "$OUT/form/jo-hartley.docx" --into "$OUT/form/jo-hartley.pledge.yaml" --dry-run
"$SCLEARN" import "$OUT/form/jo-hartley.docx" -o "$OUT/form/imported/"

step "Reports of every example, in HTML and Markdown (build/demo/reports/)"
"$SCLEARN" render examples -o "$OUT/reports/" --as-of 2026-11-26
"$SCLEARN" render examples --format md -o "$OUT/reports/" --as-of 2026-11-26

step "Where every pledge stands, per line manager, on 10 April 2027"
"$SCLEARN" status examples --as-of 2027-04-10

step "Reviews not finished, overdue or due within 30 days of 10 April 2027, and calendars"
"$SCLEARN" due examples --as-of 2027-04-10 --ics "$OUT/reviews.ics" \
    --ics-per-manager "$OUT/calendars/"

step "The training team's collation of the examples, in every format (build/demo/collation.*)"
for fmt in md html json csv xlsx; do
    "$SCLEARN" collate examples --format "$fmt" -o "$OUT/collation.$fmt" --as-of 2026-11-26 --quiet
done
"$SCLEARN" collate examples --format md --anonymise --group-by district \
    -o "$OUT/collation-anonymised.md" --as-of 2026-11-26 --quiet

step "Done: open these three first"
first() { printf '  %s\n      %s\n' "$1" "$2"; [ -e "$1" ] || echo "      (missing!)"; }
first "$OUT/new/demo-family-support-team.pledge.yaml" "a new pledge: open it in a text editor"
first "$OUT/reports/jo-hartley.html" "a filled-in pledge as a report, in a browser"
first "$OUT/collation.html" "the training team's summary of every example"
echo "Everything else is in $OUT/"
