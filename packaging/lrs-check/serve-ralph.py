"""Serves Ralph's LRS API for packaging/lrs-check.sh: `python serve-ralph.py PORT`.

What `ralph runserver --backend fs` does (uvicorn, Ralph's logging settings; the store directory,
auth file and backend come from the RALPH_* environment), without uvicorn's reloader, and with
one change: the fs backend appends each write to its store file instead of refusing a second one.

Why: Ralph 5.1.0's FSLRSBackend.write (ralph/backends/lrs/fs.py) writes every POST to the same
file, DEFAULT_LRS_FILE (fs_lrs.jsonl), with operation_type None, which FSDataBackend.write turns
into its default_operation_type, CREATE (ralph/backends/data/fs.py); _write_bytes then raises
"fs_lrs.jsonl already exists and overwrite is not allowed with operation_type create or index" for
any second write, and the statements router answers 500 "Statements bulk indexation failed". No
setting chooses the operation type. The reloader is left out because it starts the server in a
fresh process, where the change would not apply. Everything that decides what the LRS answers
(statement validation, known ids, 200/204/409) is Ralph's own code, unchanged.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend
from ralph.conf import settings

if FSDataBackend.default_operation_type != BaseOperationType.CREATE:
    sys.exit(
        "serve-ralph.py: Ralph's fs backend no longer creates its store file on each write "
        f"({FSDataBackend.default_operation_type}): check whether this change is still needed"
    )
FSDataBackend.default_operation_type = BaseOperationType.APPEND

uvicorn.run(
    "ralph.api:app",
    host="127.0.0.1",
    port=int(sys.argv[1]),
    log_config=settings.LOGGING,
    log_level="info",
)
