"""The text encoding of a delimited file, and its bytes as UTF-8 with the invalid ones found.

UTF-8 unless the bytes say otherwise: a byte-order mark, UTF-16 without one, or a legacy code
page (Windows-1252, -1255, -1251) told apart by the letters it yields. A file that is UTF-8 but
for a few bytes stays UTF-8, and the lines holding those bytes are reported.
"""

from __future__ import annotations

import codecs
import re

import numpy as np
import pyarrow as pa

from kam_core.ingest.guard import wide_encoding

_bad: list[int] = []


def _mark(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: remember where an invalid byte is, put U+FFFD in its place."""
    _bad.append(exc.start)
    return "\ufffd", exc.end


codecs.register_error("kam-mark", _mark)


def _valid_utf8(data: bytes) -> bool:
    """True when the bytes are valid UTF-8 (checked by Arrow, without building a str)."""
    if len(data) >= 1 << 31:
        return False
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int32).tobytes())
    array = pa.StringArray.from_buffers(1, offsets, pa.py_buffer(data))
    try:
        array.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _mostly_utf8(data: bytes) -> list[int] | None:
    """Positions of invalid bytes when the file is UTF-8 but for a few of them, else None."""
    _bad.clear()
    data.decode("utf-8", errors="kam-mark")
    bad = list(_bad)
    _bad.clear()
    high = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80))
    # Legacy code pages make nearly every high byte invalid; UTF-8 text with a few stray
    # bytes has many valid multi-byte letters for each invalid one.
    return bad if high - len(bad) >= 4 * len(bad) and high > len(bad) else None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; return (text, encoding). UTF-8, UTF-16, Windows-1252, -1255 or -1251."""
    encoding = detect_encoding(data)
    start = 3 if encoding == "utf-8-sig" else 0
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    return data[start:].decode(codec, errors="replace"), encoding


def detect_encoding(data: bytes) -> str:
    """The encoding a CSV file is written in (UTF-8 unless the bytes say otherwise)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    wide = wide_encoding(data[:4096])  # UTF-16 or UTF-32, with a byte-order mark or without
    if wide:
        return wide
    if _valid_utf8(data) or _mostly_utf8(data) is not None:
        return "utf-8"
    sample = data[:200_000]
    if _latin_words(sample):
        return "cp1252"
    # Both legacy code pages decode any byte; the one yielding more letters of its script wins.
    hebrew = sum(
        1
        for ch in sample.decode("cp1255", errors="replace")
        if "\u05d0" <= ch <= "\u05ea" or ch in "\u05f3\u05f4"  # letters, geresh, gershayim
    )
    cyrillic = sum(
        1 for ch in sample.decode("cp1251", errors="replace") if "\u0410" <= ch <= "\u044f"
    )
    # Every Hebrew letter byte is also a lower-case Cyrillic letter in cp1251, so Hebrew text
    # ties; Russian text has capitals and ы/ь/я, which cp1255 does not read as letters.
    return "cp1255" if hebrew and hebrew >= cyrillic else "cp1251"


def _latin_words(sample: bytes) -> bool:
    """True for Western text (Müller, café): accented letters inside Latin words.

    Read as Windows-1252, Hebrew and Russian text turn into words made only of accented
    letters; Western text has words mixing plain and accented letters.
    """
    words = re.findall(r"[^\W\d_]+", sample.decode("cp1252", errors="replace"))
    mixed = sum(1 for w in words if not w.isascii() and re.search(r"[A-Za-z]", w))
    foreign = sum(1 for w in words if not re.search(r"[A-Za-z]", w))
    return mixed > foreign


def to_utf8(data: bytes, encoding: str) -> tuple[bytes, list[int]]:
    """The file as UTF-8 bytes, and the lines holding bytes that were not text."""
    if encoding == "utf-8-sig":
        data, encoding = data[3:], "utf-8"
    if encoding != "utf-8":
        return data.decode(encoding, errors="replace").encode("utf-8"), []
    if _valid_utf8(data):
        return data, []
    _bad.clear()
    text = data.decode("utf-8", errors="kam-mark")
    bad = list(_bad)
    _bad.clear()
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    return text.encode("utf-8"), sorted({int(n) + 1 for n in np.searchsorted(newlines, bad)})
