#!/usr/bin/env bash
# Sends Faro's xAPI export, in batches, to two real, open-source learning record stores (Ralph and
# Learning Locker's statement service), twice, and checks what they answer and what they keep:
#
#   packaging/lrs-check.sh [FARO_BINARY]
#
#   1. builds faro (debug, into CARGO_TARGET_DIR if set) unless a binary is given, and links or
#      copies it into a work folder, so a build running elsewhere cannot swap it mid-check;
#   2. generates signed records of every bundled module from two laptops ($LRS_CHECK_LEARNERS
#      learners each, default 10), plus a copy of laptop 1's file with one learner's name changed
#      (cargo run --example make_lrs_records);
#   3. `faro records merge laptop-1-tampered.json laptop-2.json --xapi statements.json
#      --homepage https://training.example.org` with the default batches of 500: expects exit 1,
#      the tampered record left out, no warning, and several numbered batch files
#      (statements-0001.json, …) holding every statement faro counted;
#   4. checks every statement of every batch against the rules of docs/records.md (no `version`,
#      an http(s) homePage, interaction definitions with choices and correctResponsesPattern,
#      true-false, no empty response, ids unique across the batches) and against Ralph's strict
#      xAPI 1.0.3 statement model;
#   5. installs, with every dependency pinned: Ralph (ralph-malph 5.1.0, from PyPI into a virtual
#      environment, packaging/lrs-check/ralph-requirements.txt) and Learning Locker's statement
#      service (npm xapi-statements 5.0.1, `npm ci` from packaging/lrs-check/package-lock.json,
#      install scripts off);
#   6. starts both on free local ports with fresh stores: Ralph's LRS API with its fs backend and
#      basic-auth credentials, through packaging/lrs-check/serve-ralph.py (Ralph 5.1.0's fs backend
#      refuses every write after the first to a store: that file says why, and makes it append);
#      Learning Locker with its in-memory models, local storage and its test auth and events;
#   7. for each LRS (packaging/lrs-check/send-batches.py): POSTs the batch files in order (expects
#      200 and each file's ids, in order), then all of them again (expects Ralph's 204 and
#      Learning Locker's 200 with the ids: nothing new stored; a 409 fails), then GETs everything
#      back and expects each statement exactly once;
#   8. expects no WARNING or ERROR line in Ralph's log, no warn or error line in Learning Locker's,
#      and no warning from faro.
#
# Needs cargo, python3 (with venv), node and npm, and network access to PyPI and the npm registry
# (only to install the two LRSs). The work folder (printed at the end, with both servers' logs) is
# $LRS_CHECK_OUT or a new temporary folder; the installs and faro are removed from it when the check
# passes.
# About 30 s here once faro and the example are built
# (28 to 35 s in six runs, 2 cores, 2026-12-07; 56 s once while other builds ran), most of it
# the two installs.
# Exit status: 0 when every check passed, 1 when one failed, 2 on usage errors.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here=$repo/packaging/lrs-check
home_page=https://training.example.org
learners=${LRS_CHECK_LEARNERS:-10}
batch=500 # faro's default --batch
started=$SECONDS

fail() {
  echo "lrs-check: FAILED: $*" >&2
  exit 1
}

[ $# -le 1 ] || { echo "usage: packaging/lrs-check.sh [FARO_BINARY]" >&2; exit 2; }
work=${LRS_CHECK_OUT:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)

ralph_pid= ll_pid= npm_pid=
stop_servers() {
  # Each server was started in a session of its own: end its whole group, and nothing else.
  local pid
  for pid in $ralph_pid $ll_pid $npm_pid; do
    kill -- -"$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap stop_servers EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 30 s for URL to answer; prints LOG and fails if it does not.
wait_for() {
  local url=$1 log=$2 what=$3
  for _ in $(seq 60); do
    curl -fs "$url" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  cat "$log"
  fail "$what did not start"
}

cd "$repo"
if [ $# -eq 1 ]; then
  bin=$1
else
  cargo build --quiet --bin faro
  bin=${CARGO_TARGET_DIR:-$repo/target}/debug/faro
fi
# A hard link keeps this build even if cargo replaces the file; a copy where one cannot be made.
ln -f "$bin" "$work/faro" 2>/dev/null || cp "$bin" "$work/faro"
cargo run --quiet --example make_lrs_records -- "$work/records" "$learners"

# Learning Locker's packages install while faro and Python work (they only need the network).
echo "== installing Learning Locker's xapi-statements (npm ci, in the background)"
command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are needed"
mkdir -p "$work/learning-locker"
cp "$here/package.json" "$here/package-lock.json" "$work/learning-locker/"
(cd "$work/learning-locker" && exec setsid npm ci --ignore-scripts --no-audit --no-fund) \
  >"$work/npm.log" 2>&1 &
npm_pid=$!

echo "== faro records merge --xapi (batches of $batch)"
set +e
(cd "$work/records" && FARO_DATA_DIR="$work/data" "$work/faro" records merge \
  laptop-1-tampered.json laptop-2.json --out roster.csv --as-of 2026-06-30 \
  --xapi "$work/statements.json" --homepage "$home_page") 2>"$work/merge.err"
merge_code=$?
set -e
cat "$work/merge.err"
[ "$merge_code" -eq 1 ] || fail "merge exited with $merge_code, expected 1 (one tampered record)"
grep -q "1 tampered record(s) left out of the xAPI file" "$work/merge.err" || fail "the tampered record was not left out"
if grep -qi "warning" "$work/merge.err"; then fail "faro printed a warning"; fi
written=$(sed -n 's/^\([0-9][0-9]*\) statement(s) from .* written to .*/\1/p' "$work/merge.err")
[ -n "$written" ] || fail "faro did not say how many statements it wrote"
batches=("$work"/statements-[0-9][0-9][0-9][0-9].json)
[ -e "${batches[0]}" ] && [ "${#batches[@]}" -ge 2 ] \
  || fail "expected several batch files statements-0001.json…, found: $(ls "$work")"
[ ! -e "$work/statements.json" ] || fail "statements.json was written beside the batch files"
echo "$written statements in ${#batches[@]} batch files"

echo "== installing Ralph (packaging/lrs-check/ralph-requirements.txt)"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/ralph-requirements.txt"
ralph_version=$("$work/venv/bin/ralph" --version)
echo "$ralph_version"

echo "== checking the statements"
"$work/venv/bin/python" - "$home_page" "$batch" "$written" "${batches[@]}" <<'PY'
import json, re, sys, uuid
from ralph.models.xapi.base.statements import BaseXapiStatement

home_page, batch, written = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
files = sys.argv[4:]
problems = []
def problem(s, why):
    problems.append(f"{s.get('id')}: {why}")

statements = []
for n, path in enumerate(files):
    batch_statements = json.load(open(path))
    last = n == len(files) - 1
    if not 0 < len(batch_statements) <= batch or (not last and len(batch_statements) != batch):
        problems.append(f"{path}: {len(batch_statements)} statements (batches of {batch})")
    statements += batch_statements
if len(statements) != written:
    problems.append(f"the batch files hold {len(statements)} statements, faro said {written}")

ids = [s["id"] for s in statements]
if len(set(ids)) != len(ids):
    problems.append("statement ids repeat")
answered = 0
for s in statements:
    BaseXapiStatement.model_validate(s)
    uuid.UUID(s["id"])
    if "version" in s:
        problem(s, "sets version")
    home = s["actor"]["account"]["homePage"]
    if home != home_page or not re.match(r"^https?://[^/\s]+", home):
        problem(s, f"homePage {home!r}")
    if "urn:faro:ext:tampered" in s["context"]["extensions"]:
        problem(s, "a tampered record was exported")
    response = s["result"].get("response")
    if response == "":
        problem(s, "empty response")
    if not s["verb"]["id"].endswith("/answered"):
        continue
    answered += 1
    d = s["object"]["definition"]
    for field in ("name", "description"):
        if not all(d.get(field, {}).get(lang) for lang in ("en", "es")):
            problem(s, f"definition.{field} lacks en or es")
    patterns = d.get("correctResponsesPattern")
    if not patterns:
        problem(s, "no correctResponsesPattern")
    kind = d.get("interactionType")
    if kind == "true-false":
        if "choices" in d or response not in (None, "true", "false") or patterns not in (["true"], ["false"]):
            problem(s, "true-false with choices or another response")
    elif kind == "choice":
        choice_ids = {c["id"] for c in d.get("choices", [])}
        given = set(response.split("[,]")) if response else set()
        wanted = {i for p in patterns or [] for i in p.split("[,]")}
        if not choice_ids or not given <= choice_ids or not wanted <= choice_ids:
            problem(s, "response or pattern names an id that is not a choice")
    else:
        problem(s, f"interactionType {kind!r}")
for p in problems[:20]:
    print("  " + p)
if problems:
    sys.exit(f"{len(problems)} problem(s)")
print(f"{len(statements)} statements ({answered} answered) in {len(files)} batches follow the rules and Ralph's BaseXapiStatement model")
PY

echo "== starting Ralph"
export RALPH_APP_DIR="$work/ralph-app" RALPH_AUTH_FILE="$work/ralph-app/auth.json" RALPH_RUNSERVER_BACKEND=fs
export RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH="$work/ralph-store"
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
"$work/venv/bin/ralph" auth --username faro-check --password "$password" --scope all \
  --agent-ifi-account faro-check "$home_page" --write-to-disk >"$work/ralph-auth.log" 2>&1 \
  || { cat "$work/ralph-auth.log"; fail "ralph auth"; }
ralph_port=$(free_port)
mkdir -p "$work/ralph-store" "$work/ralph-cwd"
(cd "$work/ralph-cwd" && exec setsid "$work/venv/bin/python" "$here/serve-ralph.py" "$ralph_port") \
  >"$work/ralph.log" 2>&1 &
ralph_pid=$!

echo "== starting Learning Locker's xapi-statements"
wait "$npm_pid" || { cat "$work/npm.log"; npm_pid=; fail "npm ci"; }
npm_pid=
ll_dir=$work/learning-locker/node_modules/xapi-statements
ll_version=$(node -p "require('$ll_dir/package.json').version")
ll_port=$(free_port)
while [ "$ll_port" = "$ralph_port" ]; do ll_port=$(free_port); done
mkdir -p "$work/ll-storage"
# Memory models and local storage need no database; AUTH_REPO=test takes any credentials,
# EVENTS_REPO=test needs no Redis. The AWS SDK's end-of-support notice is not about statements.
(cd "$work/learning-locker" && MODELS_REPO=memory STORAGE_REPO=local AUTH_REPO=test EVENTS_REPO=test \
  EXPRESS_PORT="$ll_port" FS_LOCAL_STORAGE_DIR="$work/ll-storage" \
  EXPRESS_MORGAN_DIRECTORY="$work/ll-storage/access-logs" WINSTON_CONSOLE_LEVEL=info \
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE=1 exec setsid node "$ll_dir/dist/server.js") \
  >"$work/learning-locker.log" 2>&1 &
ll_pid=$!

wait_for "http://127.0.0.1:$ralph_port/__heartbeat__" "$work/ralph.log" Ralph
wait_for "http://127.0.0.1:$ll_port/xAPI/about" "$work/learning-locker.log" "Learning Locker"

echo "== sending the batches to Ralph"
basic=$(printf '%s' "faro-check:$password" | base64 -w0)
"$work/venv/bin/python" "$here/send-batches.py" Ralph "http://127.0.0.1:$ralph_port/xAPI/statements" \
  "Basic $basic" 204 "${batches[@]}" || fail "Ralph"
echo "== sending the batches to Learning Locker"
"$work/venv/bin/python" "$here/send-batches.py" "Learning Locker" "http://127.0.0.1:$ll_port/xAPI/statements" \
  "Basic $basic" 200 "${batches[@]}" || fail "Learning Locker"

if grep -E " (WARNING|ERROR) " "$work/ralph.log"; then fail "Ralph logged the lines above"; fi
# Winston colours its levels; a line with "warn" or "error" in any form fails. (Stopping it, after
# this, logs an empty error line: its server.js hands the signal's name to logger.error.)
if sed 's/\x1b\[[0-9;]*m//g' "$work/learning-locker.log" | grep -Ei "warn|error"; then
  fail "Learning Locker logged the lines above"
fi
# The installs take about 250 MB, and the link to faro can keep an old build alive: drop them once
# everything passed (the logs and batches stay).
stop_servers
ralph_pid= ll_pid=
rm -rf "$work/venv" "$work/learning-locker/node_modules" "$work/faro"
echo "== passed: $ralph_version, xapi-statements $ll_version (node $(node --version)), $written statements in ${#batches[@]} batches, $(date -u +%Y-%m-%d), $((SECONDS - started)) s, work folder $work"
