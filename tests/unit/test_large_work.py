"""One large file at a time: a second large read, check or import waits and is told so."""

from __future__ import annotations

import threading

from kam_core.importing import LARGE_ROWS, large_work


def test_a_second_large_step_waits_for_the_first_and_says_so_while_small_ones_pass():
    order: list[str] = []
    first_in, release = threading.Event(), threading.Event()
    waited = threading.Event()

    def first() -> None:
        with large_work(LARGE_ROWS):
            order.append("first in")
            first_in.set()
            release.wait(10)
            order.append("first out")

    def second() -> None:
        with large_work(LARGE_ROWS, on_wait=waited.set):
            order.append("second in")

    one = threading.Thread(target=first)
    one.start()
    assert first_in.wait(10)
    two = threading.Thread(target=second)
    two.start()
    assert waited.wait(10)  # told before it waits
    with large_work(LARGE_ROWS - 1, on_wait=lambda: order.append("small waited")):
        order.append("small ran")  # a small file passes while a large one runs
    release.set()
    one.join(10)
    two.join(10)
    assert order == ["first in", "small ran", "first out", "second in"]


def test_the_steps_of_one_import_nest_without_waiting_for_themselves():
    with large_work(LARGE_ROWS), large_work(LARGE_ROWS, on_wait=lambda: 1 / 0):
        pass


def test_a_workbook_weighs_ten_times_its_zipped_bytes():
    from kam_core.importing import weight

    assert weight(b"PK\x03\x04" + b"\0" * 96) == 1_000
    assert weight(b"a,b\n" + b"\0" * 96) == 100


def test_the_lock_goes_back_when_taking_the_waiting_message_back_raises():
    # Streamlit stops a run that a click replaced at its next page call: taking the message
    # back raised after the lock was taken, and no large file could be read again.
    holder_in, release = threading.Event(), threading.Event()

    def holder() -> None:
        with large_work(LARGE_ROWS):
            holder_in.set()
            release.wait(10)

    class Stopped(BaseException):
        pass

    def gone() -> None:
        raise Stopped

    failures: list[BaseException] = []
    stopped, finish = threading.Event(), threading.Event()

    def waiter() -> None:
        try:
            with large_work(LARGE_ROWS, on_wait=lambda: gone):
                pass
        except Stopped as exc:
            failures.append(exc)
        stopped.set()
        finish.wait(10)  # alive, so the next thread cannot share its id (and its lock)

    one = threading.Thread(target=holder)
    one.start()
    assert holder_in.wait(10)
    two = threading.Thread(target=waiter)
    two.start()
    release.set()
    one.join(10)
    assert stopped.wait(10)
    assert len(failures) == 1
    taken = threading.Event()

    def later() -> None:
        with large_work(LARGE_ROWS):
            taken.set()

    three = threading.Thread(target=later, daemon=True)
    three.start()
    try:
        assert taken.wait(5), "the lock was never given back"
    finally:
        finish.set()
        two.join(10)


def test_a_file_on_disk_weighs_what_its_bytes_weigh(tmp_path):
    from kam_core.importing import weight

    book, text = tmp_path / "q1.xlsx", tmp_path / "q1.csv"
    book.write_bytes(b"PK\x03\x04" + b"\0" * 96)
    text.write_bytes(b"a,b\n" + b"\0" * 96)
    assert weight(book) == 1_000
    assert weight(text) == 100
