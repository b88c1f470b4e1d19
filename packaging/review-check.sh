#!/usr/bin/env bash
# Opens the review copy of every bundled module in a real browser (headless Chromium) and checks
# that it prints, and that it asks for nothing from the network (issue 28, item 5):
#
#   packaging/review-check.sh [FARO_BINARY]
#
#   1. builds faro (debug, into CARGO_TARGET_DIR if set) unless a binary is given;
#   2. `faro export review modules --out WORK/copies`: one HTML file per bundled module;
#   3. for each copy, Chromium takes a screenshot (--screenshot, 1280×2000) and prints it to PDF
#      (--print-to-pdf, A4 from the copy's print style sheet), each run with every host name
#      unresolvable (--host-resolver-rules="MAP * ~NOTFOUND") and a network log (--log-net-log);
#   4. expects a PDF of more than one page (pdfinfo, from poppler-utils; without it, more than
#      50 KB) with the module's content fingerprint on every page (pdftotext, when installed),
#      and a screenshot;
#   5. expects no request from the page in either network log: a request whose network isolation
#      key is the file:// page's. (Chromium's own background requests, such as update checks,
#      are keyed by their own sites and fail anyway.) The same detector is first run on a page
#      that does load a remote image and style sheet, and must find both requests: the check
#      cannot pass by seeing nothing.
#
# Needs chromium (Debian package `chromium`) and python3; poppler-utils for the page checks.
# The work folder (printed at the end, with the PDFs and screenshots) is $REVIEW_CHECK_OUT or a
# new temporary folder. Exit status: 0 when every check passed, 1 when one failed, 2 on usage
# errors or when Chromium is missing.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

fail() {
  echo "review-check: FAILED: $*" >&2
  exit 1
}

[ $# -le 1 ] || { echo "usage: packaging/review-check.sh [FARO_BINARY]" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "review-check: needs Chromium (apt-get install chromium)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "review-check: needs python3" >&2; exit 2; }

started=$(date +%s)
if [ $# -eq 1 ]; then
  faro=$1
else
  (cd "$repo" && cargo build --quiet --bin faro)
  faro="${CARGO_TARGET_DIR:-$repo/target}/debug/faro"
fi
[ -x "$faro" ] || fail "no faro binary at $faro"

work=${REVIEW_CHECK_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/faro-review-check.XXXXXX")}
mkdir -p "$work"
work=$(cd "$work" && pwd)

# One headless Chromium run, named $1, with no name resolution and a network log.
chrome() {
  local name=$1
  shift
  rm -rf "$work/profile-$name"
  timeout 180 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions \
    --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$work/profile-$name" \
    --log-net-log="$work/$name.netlog.json" \
    "$@" >"$work/$name.chromium.log" 2>&1 || fail "chromium failed for $name (see $work/$name.chromium.log)"
  rm -rf "$work/profile-$name"
}

# The URLs the page itself asked for, one a line, from a Chromium network log.
page_requests() {
  python3 - "$1" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    log = json.load(f)
urls = set()
for event in log.get("events", []):
    params = event.get("params") or {}
    if "url" in params and str(params.get("network_isolation_key", "")).startswith("file://"):
        urls.add(params["url"])
for url in sorted(urls):
    print(url)
PY
}

# The detector must see a page's requests when there are some.
control="$work/control.html"
cat >"$control" <<'HTML'
<!DOCTYPE html><html><head><link rel="stylesheet" href="https://fonts.example.org/f.css"></head>
<body><p>control</p><img src="http://example.org/x.png" alt="x"></body></html>
HTML
chrome control --screenshot="$work/control.png" "file://$control"
seen=$(page_requests "$work/control.netlog.json")
grep -qx "https://fonts.example.org/f.css" <<<"$seen" && grep -qx "http://example.org/x.png" <<<"$seen" \
  || fail "the network check did not see the control page's two requests (saw: ${seen:-nothing})"

listing=$("$faro" export review "$repo/modules" --out "$work/copies") || fail "faro export review failed"
count=0
while IFS= read -r line; do
  # "PATH: ID VERSION, content SHA-256 HEX"
  html=${line%%: *}
  fingerprint=${line##* }
  name=$(basename "$html" .html)
  [ -s "$html" ] || fail "$html was not written"
  chrome "$name-pdf" --no-pdf-header-footer --print-to-pdf="$work/$name.pdf" "file://$html"
  chrome "$name-png" --window-size=1280,2000 --screenshot="$work/$name.png" "file://$html"
  [ -s "$work/$name.png" ] || fail "$name: no screenshot"
  [ -s "$work/$name.pdf" ] || fail "$name: no PDF"
  for log in "$work/$name-pdf.netlog.json" "$work/$name-png.netlog.json"; do
    asked=$(page_requests "$log")
    [ -z "$asked" ] || fail "$name: the page asked the network for: $asked"
  done
  if command -v pdfinfo >/dev/null; then
    pages=$(pdfinfo "$work/$name.pdf" | awk '/^Pages:/ { print $2 }')
    [ "${pages:-0}" -gt 1 ] || fail "$name: the PDF has ${pages:-no} page(s)"
    if command -v pdftotext >/dev/null; then
      for page in $(seq 1 "$pages"); do
        # Read whole first: `grep -q` stopping early would fail the pipe under pipefail.
        text=$(pdftotext -f "$page" -l "$page" "$work/$name.pdf" -)
        grep -q "$fingerprint" <<<"$text" || fail "$name: page $page of the PDF does not show the fingerprint $fingerprint"
      done
    fi
  else
    pages="?"
    [ "$(stat -c %s "$work/$name.pdf")" -gt 50000 ] || fail "$name: the PDF is under 50 KB"
  fi
  echo "review-check: $name: $pages pages ($(( $(stat -c %s "$work/$name.pdf") / 1024 )) KB), fingerprint on every page, no request from the page"
  count=$((count + 1))
done <<<"$listing"
[ "$count" -ge 1 ] || fail "no review copy was made"
echo "review-check: OK: $count review copies printed in $(( $(date +%s) - started )) s; PDFs and screenshots in $work"
