"""A workbook whose main parts sit elsewhere than the reader looks, given it at the usual names.

The workbook reader opens xl/workbook.xml, xl/sharedStrings.xml and xl/styles.xml by name, where
Excel follows the package's relationships: a workbook part at xl/wb/workbook.xml read as "not a
spreadsheet", shared text at xl/strings.xml as "damaged", and a stale part left at the usual name
was read in place of the real one (other names, other dates). The scan measures the parts the
relationships name (zipscan.py); this copy puts those same parts where the reader reads them.
"""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import zipfile
import zlib
from xml.sax.saxutils import quoteattr

from kam_core.ingest import parts

SHARED = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
BOOK_RELS = "xl/_rels/workbook.xml.rels"
_MOVED_KINDS = {"sharedstrings": SHARED, "styles": STYLES}

_REL = re.compile(rb"<(?:[\w.\-]{1,100}:)?Relationship\b[^<>]*>")
_ATTR = {
    name: re.compile(rb"\b" + name + rb"""\s*=\s*(["'])([^"'<>]*)\1""")
    for name in (b"Type", b"Target", b"TargetMode")
}


def _attr(tag: bytes, name: bytes) -> str:
    found = _ATTR[name].search(tag)
    return found.group(2).decode("utf-8", "replace") if found else ""


def _resolved(folder: str, target: str, stored: dict[str, str]) -> str | None:
    """The archive member a relative or absolute target names, as parts.norm resolves it."""
    for candidate in (posixpath.join(folder, target.replace("\\", "/")), target):
        low = parts.norm(candidate)
        if low in stored:
            return stored[low]
    return None


def _dotted(target: str) -> bool:
    """True when a target holds a '.' or '..' segment (worksheets/./sheet1.xml)."""
    return any(part in (".", "..") for part in target.split("/"))


def _with_target(tag: bytes, target: str) -> bytes:
    found = _ATTR[b"Target"].search(tag)
    if found is None:
        return tag
    new = b"Target=" + quoteattr(target).encode("utf-8")
    return tag[: found.start()] + new + tag[found.end() :]


def _book_rels(
    body: bytes, folder: str, stored: dict[str, str], book_moved: bool
) -> tuple[bytes, dict[str, str], set[str]]:
    """The workbook's relationships as read from xl/, the parts to move (from -> to), and the
    usual names whose relationship points at nothing in the archive."""
    moves: dict[str, str] = {}
    missing: set[str] = set()

    def rewrite(found: re.Match[bytes]) -> bytes:
        tag = found.group(0)
        kind = _attr(tag, b"Type").rsplit("/", 1)[-1].lower()
        external = _attr(tag, b"TargetMode").lower() == "external"
        member = None if external else _resolved(folder, _attr(tag, b"Target"), stored)
        if member is None:
            if kind in _MOVED_KINDS:
                missing.add(_MOVED_KINDS[kind])  # the part at the usual name is not this one
            return tag
        usual = _MOVED_KINDS.get(kind)
        if usual is not None:
            if member != usual and usual not in moves.values():
                moves[member] = usual
            return _with_target(tag, posixpath.basename(usual))
        # Targets are relative to the workbook's folder: from xl/ they are written absolute,
        # as is one climbing out of its folder and back in (../xl/worksheets/sheet1.xml, valid
        # in a package), which the reader does not resolve.
        moved = book_moved or _dotted(_attr(tag, b"Target"))
        return _with_target(tag, "/" + member) if moved else tag

    return _REL.sub(rewrite, body), moves, missing


def standard_parts(data: bytes) -> bytes:
    """The workbook with its main part, shared text and styles at the names the reader opens.

    Unchanged (the same bytes) when they are there already or the archive is not a workbook.
    """
    if not data.startswith(b"PK"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _relocated(data, archive)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError, zlib.error):
        return data  # the reader says what is wrong with it


def _relocated(data: bytes, archive: zipfile.ZipFile) -> bytes:
    stored = {parts.norm(name): name for name in archive.namelist()}
    root_name = stored.get(parts.ROOT_RELS)
    root = parts.small_part(archive, root_name) if root_name else None
    if root is None:
        return data
    book_low = parts.book_part({parts.ROOT_RELS: root})
    book = stored.get(book_low)
    if book is None or not book_low.endswith(".xml"):  # an .xlsb, or no workbook part at all
        return data
    rels_name = stored.get(parts.rels_of(book_low))
    rels = parts.small_part(archive, rels_name) if rels_name else b""
    if rels is None:
        return data
    book_moved = book != parts.BOOK
    new_rels, moves, missing = _book_rels(rels, posixpath.dirname(book_low), stored, book_moved)
    if book_moved:
        moves[book] = parts.BOOK
    # A relationship naming no part of the archive: a part at the usual name is stale.
    stale = {stored[low] for low in map(parts.norm, missing) if low in stored}
    stale -= set(moves)
    if not moves and not stale and rels_name in (None, BOOK_RELS) and new_rels == rels:
        return data
    if rels_name:
        moves[rels_name] = BOOK_RELS
    targets = {parts.norm(to) for to in moves.values()}
    # A part left at a usual name that the relationships do not name is not read.
    dropped = {name for low, name in stored.items() if low in targets and name not in moves}
    dropped |= stale
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for member in archive.infolist():
            name = member.filename
            if name in dropped or member.is_dir():
                continue
            new_name = moves.get(name, name)
            if name == rels_name:
                copy.writestr(new_name, new_rels)
            elif name == root_name and book_moved:
                copy.writestr(new_name, _root_pointing_at_book(root))
            else:
                large = member.file_size >= (1 << 31)
                with (
                    archive.open(member) as source,
                    copy.open(new_name, "w", force_zip64=large) as target,
                ):
                    shutil.copyfileobj(source, target, 1 << 20)
    return out.getvalue()


def _root_pointing_at_book(root: bytes) -> bytes:
    """The package relationships with the workbook at its usual name."""

    def rewrite(found: re.Match[bytes]) -> bytes:
        tag = found.group(0)
        if _attr(tag, b"Type").rsplit("/", 1)[-1].lower() == "officedocument":
            return _with_target(tag, "/" + parts.BOOK)
        return tag

    return _REL.sub(rewrite, root)
