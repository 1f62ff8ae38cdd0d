"""The fork server and its workers: the side of the file reader that parses uploads.

The server (kam_core.ingest.worker) starts this process once; it preloads the readers and forks
one worker per request. A worker sets its memory and processor-time ceilings, reads the file
(read.py) and answers on its connection. Messages both ways are pickled plain data behind a
4-byte length.
"""

from __future__ import annotations

import math
import os
import pickle
import select
import signal
import socket
import struct
import sys
from pathlib import Path

from kam_core.config import ImportLimits
from kam_core.i18n import set_language

_HEADER = struct.Struct("!I")


def send(sock: socket.socket, message: object) -> None:
    """One message: pickled, behind its length."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(body)) + body)


def receive(sock: socket.socket) -> object:
    """One message; EOFError when the other side closed (a worker that died)."""
    size = _HEADER.unpack(_exactly(sock, _HEADER.size))[0]
    # The worker is this program's own code and only sends plain data: trusted.
    return pickle.loads(_exactly(sock, size))


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def work(conn: socket.socket) -> None:
    """In a forked worker: read the file of one request and answer on the connection."""
    import resource

    from kam_core.ingest.beside import answer
    from kam_core.ingest.read import over_cpu

    # A group of its own: the server stops the worker and any child it forked at once.
    os.setpgid(0, 0)
    send(conn, ("pid", os.getpid()))
    folder, file_name, limits_dict, language = receive(conn)
    # A reader that aborts writes to stderr (Rust's "memory allocation of 48000000000 bytes
    # failed"): kept in the read's folder for the server's log, off the user's terminal.
    err = os.open(os.path.join(folder, "stderr"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(err, 2)
    # Standard output is the fork server's pipe to the application, read once ("ready"): a
    # reader printing there would block once the pipe is full.
    os.dup2(err, 1)
    os.close(err)
    set_language(language)  # refusals and notes in the language of the user who uploaded
    limits = ImportLimits(**limits_dict)
    ceiling = int(limits.max_read_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    # The processor-time limit, enforced by the kernel even if the server is gone: SIGXCPU at
    # the soft limit ends the read as too slow; the hard limit kills a reader deaf to it.
    cpu = math.ceil(limits.max_read_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    signal.signal(signal.SIGXCPU, over_cpu)
    outcome, payload = answer(
        Path(folder), file_name, limits, lambda pid: send(conn, ("child", pid))
    )
    peak = max(
        resource.getrusage(who).ru_maxrss
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    send(conn, (outcome, payload, peak * 1024))


def serve(address: str) -> None:
    """The fork server: preload the readers, then fork one worker per connection."""
    import kam_core.ingest.read  # noqa: F401  (imported once here, shared by every worker)
    from kam_core.i18n import SUPPORTED, translations

    for language in SUPPORTED:  # catalogs loaded once here, not in every worker
        translations(language)

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    sys.stdout.buffer.write(b"ready\n")
    sys.stdout.buffer.flush()
    while True:
        ready, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in ready and not os.read(sys.stdin.fileno(), 1024):
            return  # the application is gone
        if listener not in ready:
            continue
        conn, _ = listener.accept()
        if os.fork() == 0:
            code = 0
            try:
                listener.close()
                work(conn)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        conn.close()
