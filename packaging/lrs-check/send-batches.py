"""Sends Faro's xAPI batch files to a learning record store twice and reads them back, for
packaging/lrs-check.sh:

    python send-batches.py NAME STATEMENTS_URL AUTHORIZATION RESEND_STATUS BATCH_FILE...

1. POSTs each batch file in order: expects 200 and the file's statement ids, in order;
2. POSTs them all again, in order: expects RESEND_STATUS for each. An LRS keeps nothing new when
   every statement is one it has, identical; what it answers differs: Ralph 204 No Content,
   Learning Locker 200 with the ids (both allowed by xAPI 1.0.3); a 409 would mean a changed
   statement under a known id, and fails;
3. GETs every statement back, page by page (`more`), and expects each sent id exactly once and
   nothing else.

Prints one line per request. Exit status 1 on the first unexpected answer.
"""

import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

name, url, authorization, resend_status = sys.argv[1:5]
files = sys.argv[5:]
headers = {
    "Authorization": authorization,
    "X-Experience-API-Version": "1.0.3",
    "Content-Type": "application/json",
}


def call(method, target, data=None):
    request = urllib.request.Request(target, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def fail(why):
    sys.exit(f"{name}: {why}")


batches = []
for path in files:
    body = open(path, "rb").read()
    batches.append((path, body, [s["id"] for s in json.loads(body)]))
sent = [i for _, _, ids in batches for i in ids]

started = time.monotonic()
for round_ in ("first", "second"):
    for path, body, ids in batches:
        status, answer = call("POST", url, body)
        label = f"{name}: {round_} POST of {path.rsplit('/', 1)[-1]} ({len(ids)} statements)"
        if round_ == "first" or resend_status == "200":
            answered = json.loads(answer) if status == 200 else None
            print(f"{label}: {status}, {len(answered or [])} ids")
            if status != 200 or answered != ids:
                fail(f"expected 200 and the {len(ids)} ids in order: {status} {answer[:300]!r}")
        else:
            print(f"{label}: {status}")
            if status != int(resend_status) or answer.strip():
                fail(f"expected {resend_status} and no body: {status} {answer[:300]!r}")

stored, target, pages = [], f"{url}?limit=1000", 0
while target:
    status, answer = call("GET", target)
    if status != 200:
        fail(f"GET {target}: {status} {answer[:300]!r}")
    page = json.loads(answer)
    stored += [s["id"] for s in page["statements"]]
    pages += 1
    more = page.get("more")
    target = urllib.parse.urljoin(url, more) if more else None
print(f"{name}: GET: {len(stored)} statements in {pages} page(s)")
if len(stored) != len(set(stored)):
    fail(f"{len(stored) - len(set(stored))} statement(s) stored twice")
if set(stored) != set(sent):
    missing, extra = len(set(sent) - set(stored)), len(set(stored) - set(sent))
    fail(f"{missing} sent statement(s) missing, {extra} stored that were not sent")
print(
    f"{name}: {len(files)} batches sent twice, {len(sent)} statements stored once each "
    f"({time.monotonic() - started:.1f} s)"
)
