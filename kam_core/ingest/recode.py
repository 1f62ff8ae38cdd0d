"""Workbook parts written in ways the reader does not read, rewritten as it reads them.

Both are valid XML that Excel opens, written by some exporters:

- A part encoded in UTF-16 (with or without a byte-order mark): the reader's XML parser
  decodes only single-byte encodings and UTF-8, and refused the whole file as damaged. Such a
  part is re-encoded as UTF-8 before the scan measures it, so the scan and the reader see the
  same bytes (the scan's patterns read UTF-8 too).
- A cell value in a CDATA section (`<v><![CDATA[123]]></v>`): the reader takes a CDATA value as
  empty, so every row lost its amount. The scan notes the sheets holding one (Extent.cdata) and
  their sections are written as plain, escaped text before the reader reads them.
- A cell typed inline text whose text is written as a value (`<c t="inlineStr"><v>Acme</v>`):
  the reader looks for the text in `<is>` and read the cell as empty. The scan notes such
  sheets too (Extent.inline_values) and their cells are typed as text results (`t="str"`),
  which the reader takes from `<v>`, as Excel does.
- A number whose value holds a character reference (`<v>1&#160;200</v>`, `<v>&#32;0</v>`), a
  comment or a processing instruction (`<v>12<!-- -->00</v>`): the reader takes a number's text
  up to the first of them (1, empty, 12). The scan notes such sheets (Extent.number_refs) and
  those cells are typed as text results as well, whose value the reader takes whole; the
  amount is then read from the text as a CSV's is.

Only files holding such parts pay for the copy; the check for UTF-16 reads each part's first
bytes.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator

from kam_core.config import ImportLimits
from kam_core.ingest.binsheet import formula_errors_as_text
from kam_core.ingest.extent import TEXT_TYPED, VALUE_CELL, VALUE_REF, odd_number, value_marked
from kam_core.ingest.parts import looks_like_xml
from kam_core.ingest.zipscan import MAX_MEMBERS, check_directory

_STEP = 1 << 20
_STORE = 64 << 20  # rewritten parts up to this size are stored, not compressed again
CDATA_OPEN = b"<![CDATA["
_CDATA_CLOSE = b"]]>"
# The declaration's encoding, once the part is UTF-8 (the first element follows it).
_DECLARED = re.compile(rb"""^(\s*<\?xml\b[^<>]{0,200}?\bencoding\s*=\s*)(["'])[^"'<>]{0,40}\2""")


def _wide(head: bytes) -> str | None:
    """The UTF-16 codec an XML part starting with these bytes is written in, else None."""
    if head[:4] in (b"\xff\xfe<\0", b"\xfe\xff\0<"):
        return "utf-16"  # the byte-order mark decides; the decoder drops it
    if head[:1] == b"<" and head[1:2] == b"\0" == head[3:4] and head[2:3] != b"\0":
        return "utf-16-le"
    if head[:2] == b"\0<" and head[2:3] == b"\0" != head[3:4]:
        return "utf-16-be"
    return None


def utf8_parts(data: bytes, file_name: str, limits: ImportLimits) -> bytes:
    """The workbook archive with its UTF-16 XML parts in UTF-8; the same bytes if it has none.

    Parts that cannot be read here (damaged, lying about their size, not UTF-16 after all) are
    left as they are: the scan and the reader judge them as before.
    """
    if data[:4] != b"PK\x03\x04":
        return data
    check_directory(data, file_name)  # the copy must show the reader what the scan measures
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return data  # refused by the scan
            wide = {}
            for member in members:
                if member.is_dir() or member.file_size < 4:
                    continue
                with archive.open(member) as part:
                    codec = _wide(part.read(4))
                if codec:
                    wide[member.filename] = codec
            if not wide:
                return data
            return _copied(archive, lambda m: _recoded(archive, m, wide), wide, limits)
    except (_TooLarge, UnicodeDecodeError):
        return data  # the scan refuses a lying part; the reader a part that is not UTF-16
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, zlib.error):
        return data  # the scan says what is wrong with it (NotImplementedError: RuntimeError)


class _TooLarge(Exception):
    """A part unpacks to more than it declares, or the archive to more than the limit."""


def _recoded(archive: zipfile.ZipFile, member: zipfile.ZipInfo, wide: dict) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(wide[member.filename])("strict")
    first = True
    with archive.open(member) as part:
        while chunk := part.read(_STEP):
            text = decoder.decode(chunk).encode("utf-8")
            if first:
                text = text.removeprefix(b"\xef\xbb\xbf")
                text = _DECLARED.sub(rb"\1\2UTF-8\2", text, count=1)
                first = False
            yield text
        yield decoder.decode(b"", final=True).encode("utf-8")


def as_the_reader_reads(data: bytes, names: tuple[str, ...]) -> bytes:
    """The workbook with the named parts' CDATA sections written as escaped text and their
    inline text written as a value typed as a text result (an .xlsb sheet's formulas' error
    results written as text)."""
    if not names:
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _copied(archive, lambda m: _as_read(archive, m), set(names), None)


def _as_read(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part named by the scan as the reader should read it: an .xlsb sheet's records with
    its formulas' error results as text, a sheet's XML rewritten (as_the_reader_reads)."""
    with archive.open(member) as part:
        head = part.read(64)
    if not looks_like_xml(head):  # an .xlsb sheet part (records): the scan names no other
        yield formula_errors_as_text(archive.read(member))
        return
    yield from _refs_as_text(_odd_as_text(_inline_as_text(_unwrapped(archive, member))))


# A cell typed inline text (its attributes before and after the type) whose first child is a
# value; every part bounded, so a match is shorter than _INLINE_HOLD.
_INLINE_CELL = re.compile(
    rb"<((?:[\w.\-]{1,100}:)?c\b[^<>]{0,1000}?\bt\s{0,100}=\s{0,100})([\"'])inlineStr\2"
    rb"([^<>]{0,1000}>\s{0,100}<(?:[\w.\-]{1,100}:)?v[\s>])"
)
_INLINE_HOLD = 4096


def _rewritten(
    pieces: Iterator[bytes],
    hold: int,
    matches: Callable[[bytes], Iterator[re.Match[bytes]]],
    rewrite: Callable[[re.Match[bytes]], list[bytes] | None],
) -> Iterator[bytes]:
    """The pieces with each match rewritten (None keeps it); a match may span pieces."""
    carry = b""
    done = False
    while not done:
        piece = next(pieces, None)
        done = piece is None
        buf = carry + (piece or b"")
        # A match starting before the limit ends inside the buffer (matches are shorter than
        # hold); later ones wait for the next piece.
        limit = len(buf) if done else max(len(buf) - hold, 0)
        out, pos = [], 0
        for cell in matches(buf):
            if cell.start() >= limit:
                break
            written = rewrite(cell)
            if written is None:
                continue
            out += [buf[pos : cell.start()], *written]
            pos = cell.end()
        cut = max(pos, limit)
        out.append(buf[pos:cut])
        carry = buf[cut:]
        yield b"".join(out)


def _inline_as_text(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The pieces with each inline-text cell written as a value typed as a text result."""

    def typed(cell: re.Match[bytes]) -> list[bytes]:
        return [b"<", cell.group(1), cell.group(2), b"str", cell.group(2), cell.group(3)]

    return _rewritten(pieces, _INLINE_HOLD, _INLINE_CELL.finditer, typed)


_REF_HOLD = 110_000  # longer than any match of VALUE_REF (a formula of 100,000 characters)
_NUMBER_TYPE = re.compile(rb"""\s\bt\s*=\s*(["'])n\1""")


def _refs_as_text(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The pieces with each number whose value holds a reference typed as a text result."""

    def matches(buf: bytes) -> Iterator[re.Match[bytes]]:
        # The marks first (memory speed): most pieces of such a sheet hold none.
        return VALUE_REF.finditer(buf) if value_marked(buf) else iter(())

    def typed(cell: re.Match[bytes]) -> list[bytes] | None:
        if TEXT_TYPED.search(cell.group(2)):
            return None  # text, shared text, a flag, an error: the reader reads it whole
        attrs = _NUMBER_TYPE.sub(b"", cell.group(2))
        return [b"<", cell.group(1), attrs, b' t="str">', cell.group(3)]

    return _rewritten(pieces, _REF_HOLD, matches, typed)


def _odd_as_text(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The pieces with each number whose value holds an element or is no finite number
    (extent.odd_number) typed as a text result: an element's markup written as text, so the
    row is rejected showing the value as written (12<x/>00), the others as they stand (NaN)."""

    def typed(cell: re.Match[bytes]) -> list[bytes] | None:
        odd = odd_number(cell)
        if odd is None:
            return None
        attrs = _NUMBER_TYPE.sub(b"", cell.group(2))
        content = cell.group(5)
        if odd == "element":
            content = content.replace(b"<", b"&lt;").replace(b">", b"&gt;")
        head = [b"<", cell.group(1), attrs, b' t="str">', cell.group(3), cell.group(4)]
        return [*head, content, cell.group(6)]

    return _rewritten(pieces, _REF_HOLD, VALUE_CELL.finditer, typed)


def cdata_as_text(data: bytes, names: tuple[str, ...]) -> bytes:
    """The workbook with the CDATA sections of the named parts written as escaped text."""
    if not names:
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _copied(archive, lambda m: _unwrapped(archive, m), set(names), None)


def _unwrapped(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes with each CDATA section replaced by its text, escaped; linear."""
    inside, carry = False, b""
    with archive.open(member) as part:
        while True:
            chunk = part.read(_STEP)
            buf = carry + chunk
            cut = _cut(buf) if chunk else len(buf)
            out, inside = _plain(buf[:cut], inside)
            carry = buf[cut:]
            yield b"".join(out)
            if not chunk:
                return


def _cut(buf: bytes) -> int:
    """Where to stop in a piece so that no marker is cut in two: before its last bytes when
    they start one (no marker's end can start another, so none straddles the place)."""
    for place in range(max(0, len(buf) - len(CDATA_OPEN) + 1), len(buf)):
        tail = buf[place:]
        if CDATA_OPEN.startswith(tail) or _CDATA_CLOSE.startswith(tail):
            return place
    return len(buf)


def _plain(buf: bytes, inside: bool) -> tuple[list[bytes], bool]:
    """The piece's text with its sections written plainly, and whether it ends inside one."""
    out: list[bytes] = []
    for n, piece in enumerate(buf.split(CDATA_OPEN)):
        if n:  # a marker stood here: a section starts, or literal text inside one
            if inside:
                out.append(_escaped(CDATA_OPEN))
            inside = True
        if inside:
            text, closed, piece = piece.partition(_CDATA_CLOSE)
            out.append(_escaped(text))
            if not closed:
                continue
            inside = False
        out.append(piece)
    return out, inside


def _escaped(text: bytes) -> bytes:
    return text.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")


def _copied(
    archive: zipfile.ZipFile,
    rewrite: Callable[[zipfile.ZipInfo], Iterator[bytes]],
    names: set[str] | dict,
    limits: ImportLimits | None,
) -> bytes:
    """A copy of the archive, the named members rewritten, the others copied as they are."""
    out = io.BytesIO()
    total = 0
    limit = limits.max_unzipped_bytes if limits is not None else None
    with zipfile.ZipFile(out, "w", compresslevel=1) as copy:
        for member in archive.infolist():
            if member.is_dir():
                continue
            method = member.compress_type
            info = zipfile.ZipInfo(member.filename, member.date_time)
            # A rewritten part is read at once: stored, unless large (its copy stays in memory).
            rewritten = member.filename in names
            stored = method == zipfile.ZIP_STORED or (rewritten and member.file_size < _STORE)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            large = member.file_size >= (1 << 31)
            with copy.open(info, "w", force_zip64=large) as target:
                if rewritten:
                    produced = 0
                    for piece in rewrite(member):
                        produced += len(piece)
                        # UTF-8 of UTF-16 text is at most one and a half times as long.
                        if limit is not None and (
                            produced > member.file_size * 3 // 2 + 16 or total + produced > limit
                        ):
                            raise _TooLarge
                        target.write(piece)
                    total += produced
                    continue
                with archive.open(member) as source:
                    while piece := source.read(_STEP):
                        total += len(piece)
                        if limit is not None and total > limit:
                            raise _TooLarge
                        target.write(piece)
    return out.getvalue()
