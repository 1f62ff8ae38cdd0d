"""Checks on a file before any parser sees it: size, real format, encryption, zip bombs."""

from __future__ import annotations

import io
import mmap
import re
import zipfile
from dataclasses import dataclass, field

import olefile

from kam_core.config import SETTINGS, ImportLimits
from kam_core.i18n import _, fmt_number
from kam_core.ingest import parts
from kam_core.ingest.errors import ImportRefused, megabytes, named
from kam_core.ingest.zipscan import check_directory, scan_zip

# A file's bytes: in memory, or the reading worker's upload mapped read-only (which has no
# startswith, count or decode: slices, find and the buffer protocol serve both).
Bytes = bytes | mmap.mmap

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Encrypted .xlsx files are OLE containers holding this stream (name in UTF-16).
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Sniffed:
    """What a file really is, whatever its name says."""

    kind: str  # "xlsx" | "xlsb" | "ods" | "xls" | "csv" | "html" | "mhtml"
    note: str = ""
    notes: tuple[str, ...] = ()  # what the archive scan noticed (e.g. columns beyond the limit)
    # sheet -> column index -> [cells holding a formula without a saved result, first cell]
    formulas: dict[str, dict[int, list]] = field(default_factory=dict)
    # sheet -> merged ranges one column wide: (column, first row, last row), 0-based
    merges: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    # sheet -> the columns hidden in it (from 0)
    hidden_columns: dict[str, list[int]] = field(default_factory=dict)
    # the sheet parts the reader misreads (a CDATA section, inline text written as a value),
    # rewritten before it reads them
    rewrite: tuple[str, ...] = ()
    # the sheets the workbook lists whose part the archive lacks
    missing: tuple[str, ...] = ()


def _holds_workbook(data: Bytes) -> bool:
    """False when the container's directory is read and holds no workbook stream (Workbook,
    or Book in Excel 5); True too for a container olefile cannot read (the reader judges it)."""
    try:
        with olefile.OleFileIO(io.BytesIO(data) if isinstance(data, bytes) else data) as ole:
            return ole.exists("Workbook") or ole.exists("Book")
    except MemoryError:
        raise  # the worker's ceiling: a refusal, as for any read
    except Exception:  # olefile's own errors for a container it cannot walk
        return True


_HEAD = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<table", b"<title", b"<style")


# A page's fragment: an element such as <div> or <center> around a table.
_FRAGMENT = re.compile(rb"<[a-z][a-z0-9]{0,10}[\s>/]")
# The first line of a web archive: a mail header (Date:, Subject:, X-MimeOLE:...).
_MAIL_HEADER = re.compile(rb"[!-9;-~]{1,76}:")


def _after_comments(head: bytes) -> bytes:
    """The head past the comments it starts with (a browser's "saved from url" mark)."""
    while head.startswith(b"<!--"):
        end = head.find(b"-->")
        if end < 0:
            return b""
        head = head[end + 3 :].lstrip(b" \t\r\n")
    return head


def is_web_page(text_head: bytes) -> bool:
    """True when a file's first bytes (lower case, blanks stripped) start a web page."""
    head = _after_comments(text_head)
    if head.startswith(_HEAD):
        return True
    # XHTML: an XML declaration (or Excel's mso-application instruction), then the page.
    if head.startswith(b"<?") and b"<html" in head[:2048]:
        return True
    return _FRAGMENT.match(head) is not None and b"<table" in head


SPREADSHEET_2003 = b"urn:schemas-microsoft-com:office:spreadsheet"
_OPEN_DOCUMENT = b"urn:oasis:names:tc:opendocument:xmlns:office"


_WORKBOOK_ROOT = re.compile(rb"<(?:[\w.\-]{1,40}:)?workbook[\s>]")


def is_spreadsheet_2003(sample: bytes) -> bool:
    """True when a file's first bytes (lower case, blanks stripped) start an XML Spreadsheet:
    its namespace, and its root first (after a declaration, instructions or comments)."""
    if SPREADSHEET_2003 not in sample:
        return False
    head = _after_comments(sample)
    declared = head.startswith(b"<?")
    while head.startswith(b"<?"):  # the declaration, then processing instructions
        end = head.find(b"?>")
        if end < 0:
            break
        head = _after_comments(head[end + 2 :].lstrip(b" \t\r\n"))
    if head.startswith((b"<html", b"<!doctype html")):
        return False  # a web page declaring the namespace (Excel's own export to the web)
    return declared or _WORKBOOK_ROOT.match(head) is not None


def is_web_archive(text_head: bytes) -> bool:
    """True when a file's first bytes (lower case) start a web archive (MHTML, .mht)."""
    head = text_head[:4096]
    # Headers come in any order: a mail header first, MIME-Version among them.
    usual = head.startswith((b"mime-version:", b"from:", b"content-type:"))
    if not usual and (_MAIL_HEADER.match(head) is None or b"\nmime-version:" not in head):
        return False
    return b"multipart/related" in head or b"text/html" in head


def refuse_too_large(size: int, file_name: str, limits: ImportLimits = SETTINGS.limits) -> None:
    """Raise ImportRefused when a file of size bytes is over the upload bound."""
    if size > limits.max_file_bytes:
        raise ImportRefused(
            _("{file}: the file is {size}; the limit is {limit}.").format(
                file=named(file_name), size=megabytes(size), limit=megabytes(limits.max_file_bytes)
            )
        )


def sniff(data: Bytes, file_name: str, limits: ImportLimits = SETTINGS.limits) -> Sniffed:
    """Return the real kind of a file or raise ImportRefused saying why it cannot be read."""
    size = len(data)
    refuse_too_large(size, file_name, limits)
    if size == 0:
        raise ImportRefused(_("{file}: the file is empty.").format(file=named(file_name)))
    head = data[:8]
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(data, file_name, limits)
    if head == OLE_MAGIC:
        if ENCRYPTED_STREAM in data[:4_000_000] or ENCRYPTED_STREAM in data[-4_000_000:]:
            raise ImportRefused(
                _(
                    "{file}: the workbook is protected with a password. Open it in Excel, "
                    "remove the password (File > Info > Protect Workbook) and upload it again."
                ).format(file=named(file_name))
            )
        if not _holds_workbook(data):
            # A damaged directory (or a Word or Outlook file renamed): the reader went on to
            # claim gigabytes for a 6 KB file, and it was refused as needing more than 2 GB.
            raise ImportRefused(
                _(
                    "{file}: the file is an Office container without a workbook in it: a "
                    "damaged .xls, or another kind of document (Word, Outlook) named as one. "
                    "Open it in Excel or LibreOffice, save it again and upload that file."
                ).format(file=named(file_name))
            )
        return Sniffed("xls")
    if head.startswith(b"%PDF"):
        raise ImportRefused(
            _("{file}: this is a PDF document, not a spreadsheet.").format(file=named(file_name))
        )
    if head[:2] == b"PK":
        raise ImportRefused(
            _("{file}: the file is a damaged or incomplete zip archive.").format(
                file=named(file_name)
            )
        )
    sample = data[:65536]
    wide = wide_encoding(sample)
    if wide:  # UTF-16 text (Excel's "Unicode Text") or UTF-32, with or without a byte-order mark
        sample = sample[: len(sample) // 4 * 4].decode(wide, errors="replace").encode("utf-8")
    text_head = sample[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if is_web_archive(text_head):
        return Sniffed("mhtml")
    # Before the web page: an XML Spreadsheet's rich text is HTML (<html:B>) in its cells.
    if is_spreadsheet_2003(sample[:65536].lstrip(b"\xef\xbb\xbf \t\r\n").lower()):
        return Sniffed("xml2003")
    if is_web_page(text_head):
        return Sniffed("html")
    if text_head.startswith((b"<?xml", b"<office:document")) and _OPEN_DOCUMENT in text_head:
        raise ImportRefused(
            _(
                "{file}: this is a LibreOffice spreadsheet saved as flat XML (.fods). Open it in "
                "LibreOffice, save it as .ods or .xlsx and upload that file."
            ).format(file=named(file_name))
        )
    if text_head.startswith(b"<?xml"):
        raise ImportRefused(
            _(
                "{file}: this is an XML file (perhaps 'XML Spreadsheet 2003'). Open it in "
                "Excel and save it as .xlsx, then upload that file."
            ).format(file=named(file_name))
        )
    packed = _compressed(data[:16])
    if packed:
        raise ImportRefused(
            _(
                "{file}: the file is compressed ({kind}). Unpack it and upload the spreadsheet "
                "inside."
            ).format(file=named(file_name), kind=packed)
        )
    binary = _binary_at(sample)
    if binary is not None:
        line = sample.count(b"\n", 0, binary) + 1
        raise ImportRefused(
            _(
                "{file}: the file is not a spreadsheet or a text table (one of {kinds}): it holds "
                "binary data, from line {line}."
            ).format(file=named(file_name), kinds=named(KINDS), line=fmt_number(line))
        )
    note = ""
    if file_name.lower().endswith((".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")):
        note = _("The file is named like a workbook but holds delimited text; read it as CSV.")
    return Sniffed("csv", note)


def _sniff_zip(data: bytes, file_name: str, limits: ImportLimits) -> Sniffed:
    check_directory(data, file_name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # a forged directory makes zipfile raise many kinds of errors
        # (BadZipFile, NotImplementedError for an unknown version, EOFError, struct errors).
        raise ImportRefused(
            _(
                "{file}: the workbook is damaged or incomplete and cannot be opened ({error})."
            ).format(file=named(file_name), error=exc)
        ) from exc
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unzipped_bytes:
        raise ImportRefused(
            _("{file}: the workbook unpacks to {size}; the limit is {limit}.").format(
                file=named(file_name),
                size=megabytes(unpacked),
                limit=megabytes(limits.max_unzipped_bytes),
            )
        )
    names = {m.filename for m in members}
    kind = archive_kind(names) or _kind_by_relationships(archive)
    if kind:
        # Sizes in the archive can lie: inflate for real, with caps, before a parser does.
        report = scan_zip(data, archive, file_name, limits)
        return Sniffed(
            kind,
            notes=tuple(report.notes),
            formulas=report.formulas,
            merges=report.merges,
            hidden_columns=report.hidden_columns,
            rewrite=report.rewrite,
            missing=report.missing,
        )
    if any(n.startswith("word/") for n in names):
        raise ImportRefused(
            _("{file}: this is a Word document, not a spreadsheet.").format(file=named(file_name))
        )
    raise ImportRefused(
        _("{file}: this zip archive is not a spreadsheet.").format(file=named(file_name))
    )


def archive_kind(names: set[str]) -> str | None:
    """The workbook an archive holding these members is ("xlsx", "xlsb", "ods"), else None."""
    for kind, marker in (
        ("xlsx", "xl/workbook.xml"),
        ("xlsb", "xl/workbook.bin"),
        ("ods", "content.xml"),
    ):
        if marker in names:
            return kind
    return None


def _kind_by_relationships(archive: zipfile.ZipFile) -> str | None:
    """An .xlsx or .xlsb whose workbook part the package's relationships put elsewhere."""
    stored = {parts.norm(name): name for name in archive.namelist()}
    root = stored.get(parts.ROOT_RELS)
    if root is None:
        return None
    try:
        body = parts.small_part(archive, root)
    except Exception:  # a broken part: not a workbook the reader could open either
        return None
    if body is None:
        return None
    book = parts.book_part({parts.ROOT_RELS: body})
    # An .xlsb's parts are read by their usual names only: one elsewhere stays unread.
    return "xlsx" if book in stored and book.endswith(".xml") else None


def wide_encoding(sample: bytes) -> str | None:
    """The UTF-16 or UTF-32 codec text is written in (byte-order mark or not), else None."""
    if sample.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return utf32_without_bom(sample) or utf16_without_bom(sample)


def utf32_without_bom(sample: bytes) -> str | None:
    """Return "utf-32-le" or "utf-32-be" for UTF-32 text written without its byte-order mark."""
    head = sample[: 4096 // 4 * 4]
    if len(head) < 16:
        return None
    lanes = [head[i::4].count(0) / len(head[i::4]) for i in range(4)]
    # Every character fits 21 bits: the top byte is always NUL, the next nearly always.
    if lanes[3] == 1 and lanes[2] > 0.95 and lanes[0] < 0.05:
        return "utf-32-le"
    if lanes[0] == 1 and lanes[1] > 0.95 and lanes[3] < 0.05:
        return "utf-32-be"
    return None


def utf16_without_bom(sample: bytes) -> str | None:
    """Return "utf-16-le" or "utf-16-be" for UTF-16 text written without its byte-order mark."""
    head = sample[: 4096 // 2 * 2]
    if len(head) < 8:
        return None
    for codec, high, low in (
        ("utf-16-le", head[1::2], head[0::2]),
        ("utf-16-be", head[0::2], head[1::2]),
    ):
        if low.count(0) / len(low) >= 0.05:
            continue
        zero = high.count(0) / len(high)
        # Latin text has a NUL in every other byte and almost none in between. Hebrew, Arabic
        # or Russian text has its script's high byte there (0x05, 0x06, 0x04) beside the NULs
        # of digits, separators and line ends: three values fill nearly all high bytes.
        if zero > 0.7:
            return codec
        top = sum(sorted((high.count(v) for v in set(high)), reverse=True)[:3])
        if zero > 0.1 and top / len(high) > 0.97 and "\n" in head.decode(codec, "replace"):
            return codec
    return None


# What the app reads, for messages (written left to right in any language).
KINDS = ".xlsx .xlsm .xlsb .xls .ods .csv"
# The names of the files the Upload page offers and the command line names (the reader
# decides by the bytes): workbooks, delimited text, JSON records, web pages, XML Spreadsheet.
SALES_SUFFIXES = (
    *("xlsx", "xlsm", "xlsb", "xls", "ods"),
    *("csv", "tsv", "txt", "tab", "json", "jsonl", "ndjson"),
    *("htm", "html", "mht", "mhtml", "xml"),
)
# Each format's opening bytes, long enough that no text starts so ("BZh" alone could).
_COMPRESSED = (
    (re.compile(rb"\x1f\x8b\x08"), "gzip"),
    (re.compile(rb"BZh[1-9]1AY&SY"), "bzip2"),
    (re.compile(rb"\xfd7zXZ\x00"), "xz"),
    (re.compile(rb"7z\xbc\xaf\x27\x1c"), "7-Zip"),
    (re.compile(rb"Rar!\x1a\x07"), "RAR"),
    (re.compile(rb"\x28\xb5\x2f\xfd"), "zstd"),
)


def _compressed(head: bytes) -> str | None:
    """The compression format a file starts with (gzip, 7-Zip, RAR...), else None."""
    return next((kind for magic, kind in _COMPRESSED if magic.match(head)), None)


def _binary_at(chunk: bytes) -> int | None:
    """Where binary content starts when a chunk has many NUL or control bytes, else None.

    A few stray NUL or control bytes in text do not make it binary: the rows holding them are
    read and the characters dropped from names.
    """
    # NULs padding a field up to its separator or the line's end are a fixed-width export's
    # (CHAR(30) names), not binary data: the reader keeps them and names drop them.
    text = _PADDING.sub(lambda run: b" " * len(run.group()), chunk)
    controls = [i for i, b in enumerate(text) if b < 32 and b not in (9, 10, 13)]
    if len(controls) > max(8, len(chunk) // 100):
        return controls[0]
    return None


_PADDING = re.compile(rb"\x00+(?=[,;\t|\r\n]|$)")
