"""The records of an .xls read beside the reader: bounded however its sheets point."""

from __future__ import annotations

import struct

from kam_core.ingest.biff import _walk


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _sheet_entry(offset: int, name: str) -> bytes:
    return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name.encode())


def test_sheets_pointing_into_one_another_walk_the_stream_once_in_all():
    sheets = 2_000
    entry = len(_sheet_entry(0, "S0000"))
    globals_size = sheets * entry + 4  # the entries, then the globals' EOF
    bof = _record(0x0809, struct.pack("<HH", 0x0600, 0x0010) + bytes(12))
    start = globals_size
    entries = b"".join(_sheet_entry(start + i * len(bof), f"S{i:04d}") for i in range(sheets))
    merges = struct.pack("<H", 1000) + struct.pack("<HHHH", 1, 2, 0, 0) * 1000
    body = bof * sheets + _record(0x00E5, merges) * 200 + _record(0x000A)
    stream = entries + _record(0x000A) + body
    facts = _walk(stream, 100_000)
    # Each of 2,000 sheets walked to the end would take the 200,000 merges again (up to the
    # bound each): 200 million in all, where one walk of the stream takes them once.
    assert sum(len(m) for m in facts.merges.values()) == 100_000
