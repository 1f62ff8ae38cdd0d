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
