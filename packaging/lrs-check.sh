#!/usr/bin/env bash
# Sends Faro's xAPI export to a real, open-source learning record store (Ralph), twice, and
# checks what it answers:
#
#   packaging/lrs-check.sh [FARO_BINARY]
#
#   1. builds faro (debug, into CARGO_TARGET_DIR if set) unless a binary is given, and links or
#      copies it into a work folder, so a build running elsewhere cannot swap it mid-check;
#   2. generates signed records of every bundled module from two laptops, plus a copy of
#      laptop 1's file with one learner's name changed (cargo run --example make_lrs_records);
#   3. `faro records merge laptop-1-tampered.json laptop-2.json --xapi statements.json
#      --homepage https://training.example.org`: expects exit 1 and the tampered record left out;
#   4. checks every statement against the rules of docs/records.md (no `version`, an http(s)
#      homePage, interaction definitions with choices and correctResponsesPattern, true-false,
#      no empty response, unique ids) and against Ralph's strict xAPI 1.0.3 statement model;
#   5. installs Ralph from PyPI into a virtual environment in the work folder ($RALPH_SPEC,
#      default ralph-malph[cli,lrs]==5.1.0, plus `requests`, which 5.1.0's `ralph auth` imports
#      but does not declare), makes basic-auth credentials, and starts
#      `ralph runserver --backend fs` on a fresh store and a free local port (the fs backend
#      takes one write per store, hence a fresh one each run);
#   6. POSTs the statements: expects 200 and the statement ids, in order; POSTs them again:
#      expects 204 (Ralph keeps nothing new when every statement is one it has, identical;
#      a 409 would mean a changed statement under a known id); GETs them back and counts;
#   7. expects no WARNING or ERROR line in Ralph's log, and no warning from faro.
#
# Needs cargo, python3 (with venv) and network access to PyPI. The work folder (printed at the
# end, with Ralph's log) is $LRS_CHECK_OUT or a new temporary folder.
# Exit status: 0 when every check passed, 1 when one failed, 2 on usage errors.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ralph_spec=${RALPH_SPEC:-ralph-malph[cli,lrs]==5.1.0}
home_page=https://training.example.org

fail() {
  echo "lrs-check: FAILED: $*" >&2
  exit 1
}

[ $# -le 1 ] || { echo "usage: packaging/lrs-check.sh [FARO_BINARY]" >&2; exit 2; }
work=${LRS_CHECK_OUT:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)

server_pid=
stop_server() {
  # The server was started in a session of its own: end its whole group (uvicorn's reloader
  # and the worker it started), and nothing else.
  if [ -n "$server_pid" ]; then
    kill -- -"$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap stop_server EXIT

cd "$repo"
if [ $# -eq 1 ]; then
  bin=$1
else
  cargo build --quiet --bin faro
  bin=${CARGO_TARGET_DIR:-$repo/target}/debug/faro
fi
# A hard link keeps this build even if cargo replaces the file; a copy where one cannot be made.
ln -f "$bin" "$work/faro" 2>/dev/null || cp "$bin" "$work/faro"
cargo run --quiet --example make_lrs_records -- "$work/records" 3

echo "== faro records merge --xapi"
set +e
(cd "$work/records" && FARO_DATA_DIR="$work/data" "$work/faro" records merge \
  laptop-1-tampered.json laptop-2.json --out roster.csv --as-of 2026-06-30 \
  --xapi "$work/statements.json" --homepage "$home_page" \
  --batch 100000) 2>"$work/merge.err"
# One file, one POST: Ralph's fs backend takes one write per store (see step 5), so the batches
# (`--batch`, default 500) are not sent one by one here; the batch files are checked in
# tests/it/records_cli.rs. TODO (issue 25 item 1): send the batches twice to an LRS backend that
# takes many writes.
merge_code=$?
set -e
cat "$work/merge.err"
[ "$merge_code" -eq 1 ] || fail "merge exited with $merge_code, expected 1 (one tampered record)"
grep -q "1 tampered record(s) left out of the xAPI file" "$work/merge.err" || fail "the tampered record was not left out"
if grep -qi "warning" "$work/merge.err"; then fail "faro printed a warning"; fi

echo "== installing $ralph_spec"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "$ralph_spec" requests
ralph_version=$("$work/venv/bin/ralph" --version)
echo "$ralph_version"

echo "== checking the statements"
"$work/venv/bin/python" - "$work/statements.json" "$home_page" <<'PY'
import json, re, sys, uuid
from ralph.models.xapi.base.statements import BaseXapiStatement

statements = json.load(open(sys.argv[1]))
home_page = sys.argv[2]
problems = []
def problem(s, why):
    problems.append(f"{s.get('id')}: {why}")

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
print(f"{len(statements)} statements ({answered} answered) follow the rules and Ralph's BaseXapiStatement model")
PY

echo "== starting Ralph"
export RALPH_APP_DIR="$work/ralph-app" RALPH_AUTH_FILE="$work/ralph-app/auth.json" RALPH_RUNSERVER_BACKEND=fs
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
"$work/venv/bin/ralph" auth --username faro-check --password "$password" --scope all \
  --agent-ifi-account faro-check "$home_page" --write-to-disk >"$work/ralph-auth.log" 2>&1 \
  || { cat "$work/ralph-auth.log"; fail "ralph auth"; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/store" "$work/ralph-cwd"
(cd "$work/ralph-cwd" && exec setsid "$work/venv/bin/ralph" runserver --backend fs \
  --fs-default-directory-path "$work/store" --host 127.0.0.1 --port "$port") >"$work/ralph.log" 2>&1 &
server_pid=$!
for _ in $(seq 60); do
  curl -fs "http://127.0.0.1:$port/__heartbeat__" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/__heartbeat__" >/dev/null || { cat "$work/ralph.log"; fail "Ralph did not start"; }

echo "== sending"
"$work/venv/bin/python" - "$work/statements.json" "http://127.0.0.1:$port/xAPI/statements" "faro-check:$password" <<'PY'
import base64, json, sys, urllib.error, urllib.request

path, url, credentials = sys.argv[1:]
body = open(path, "rb").read()
sent = [s["id"] for s in json.loads(body)]
headers = {
    "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
    "X-Experience-API-Version": "1.0.3",
    "Content-Type": "application/json",
}
def call(method, target, data=None):
    request = urllib.request.Request(target, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()

status, answer = call("POST", url, body)
ids = json.loads(answer) if answer else []
print(f"first POST: {status}, {len(ids)} ids")
if status != 200 or ids != sent:
    sys.exit(f"expected 200 and the {len(sent)} ids in order: {answer[:300]!r}")
status, answer = call("POST", url, body)
print(f"second POST (the same file): {status}")
if status != 204:
    sys.exit(f"expected 204, every statement already stored and identical: {answer[:300]!r}")
stored, target = set(), f"{url}?limit=1000"
while target:
    status, answer = call("GET", target)
    if status != 200:
        sys.exit(f"GET {target}: {status} {answer[:300]!r}")
    page = json.loads(answer)
    stored |= {s["id"] for s in page["statements"]}
    more = page.get("more")
    target = url.split("/xAPI/")[0] + more if more else None
print(f"GET: {len(stored)} statements stored")
if stored != set(sent):
    sys.exit(f"the LRS holds {len(stored)} statements, {len(set(sent) - stored)} of those sent are missing")
PY

if grep -E " (WARNING|ERROR) " "$work/ralph.log"; then fail "Ralph logged the lines above"; fi
echo "== passed: $ralph_version, $(date -u +%Y-%m-%d), work folder $work"
