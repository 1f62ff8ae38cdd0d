"""Taking a turn at a lock shared by every session, saying so while waiting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol


class _Lock(Protocol):
    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool: ...

    def release(self) -> None: ...


@contextmanager
def taking_turn(
    lock: _Lock,
    on_wait: Callable[[], object] | None = None,
    timeout: float | None = None,
    too_late: Callable[[], Exception] = TimeoutError,
) -> Iterator[None]:
    """Hold lock for the block; when another holds it, call on_wait first (what it returns, if
    callable, takes the message back at our turn) and wait, at most timeout seconds, else
    raise too_late() (the message taken back)."""
    done = None
    if not lock.acquire(blocking=False):
        done = on_wait() if on_wait is not None else None
        if not lock.acquire(timeout=-1 if timeout is None else timeout):
            if callable(done):
                done()
            raise too_late()
    try:
        # Inside the try: taking the message back is a page call, which raises when the run
        # was stopped meanwhile, and the lock must go back all the same.
        if callable(done):
            done()
        yield
    finally:
        lock.release()
