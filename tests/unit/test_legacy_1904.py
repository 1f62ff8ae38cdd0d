"""The 1904 date system of an .xls is found wherever its workbook stream starts."""

from __future__ import annotations

import struct

import pytest

from kam_core.ingest.guard import OLE_MAGIC
from kam_core.ingest.legacy import biff8_counts_from_1904


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _container(at: int, version: int, mode: int) -> bytes:
    """OLE bytes with a workbook's globals at offset `at`: BOF, DATEMODE, the sheets' list."""
    size = 16 if version == 0x0600 else 8
    bof = _record(0x0809, struct.pack("<HH", version, 0x0005) + b"\0" * (size - 4))
    globals_ = bof + _record(0x0042, b"\xe4\x04") + _record(0x0022, struct.pack("<H", mode))
    globals_ += _record(0x0085, b"\0" * 12) + _record(0x000A, b"")
    head = OLE_MAGIC + b"\0" * (at - len(OLE_MAGIC))
    return head + globals_ + b"\0" * 512


@pytest.mark.parametrize(
    ("at", "version"),
    [
        (512, 0x0600),  # a regular sector
        (1024 + 64 * 3, 0x0600),  # a stream under 4,096 bytes: in the mini stream's sectors
        (1024, 0x0500),  # Excel 5/95 (BIFF5)
    ],
)
def test_the_1904_date_system_is_found(at, version):
    assert biff8_counts_from_1904(_container(at, version, 1))
    assert not biff8_counts_from_1904(_container(at, version, 0))


def test_a_bof_off_any_sector_start_is_not_a_workbook_start():
    assert not biff8_counts_from_1904(_container(512 + 7, 0x0600, 1))
