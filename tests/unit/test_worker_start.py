"""The file reader's fork server: started without making anyone wait, and light to start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow  # a new interpreter and its fork server
def test_the_fork_server_started_in_the_background_serves_the_first_read():
    program = (
        "from kam_core.ingest import worker, read_file\n"
        "thread = worker.warm_up_in_background()\n"
        "assert thread.daemon\n"
        "thread.join(120)\n"
        "server = worker._server\n"
        "assert server is not None and server.alive()\n"
        "book = read_file(b'Order Date,Customer,Amount\\n2024-01-05,Acme,5\\n', 'a.csv')\n"
        "assert worker._server is server, 'the read started a second server'\n"
        "print(book.sheets[0].n_rows)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"


def test_the_fork_server_does_not_import_pandas():
    # pandas was half of the fork server's start (0.55 of 0.7 s) and no reader uses it.
    from kam_core.ingest import worker

    worker.warm_up()
    maps = Path(f"/proc/{worker._get_server().process.pid}/maps").read_text()
    assert "pyarrow" in maps  # the readers are preloaded
    assert "/pandas/" not in maps


def test_the_ingest_package_still_offers_every_public_name():
    import kam_core.ingest as ingest

    for name in ingest.__all__:
        assert getattr(ingest, name) is not None
    with pytest.raises(AttributeError):
        _ = ingest.no_such_name
