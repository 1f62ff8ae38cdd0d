"""Text cells as Arrow arrays: trimmed, blanks as nulls, invisible characters removed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Control characters other than tab and line breaks, and the invisible marks of text: soft
# hyphen, zero-width space, word joiner, byte-order mark, and the direction embeddings,
# overrides and isolates (a name wrapped in U+202E showed reversed on every page); and the
# noncharacters (U+FFFE, U+FDD0...), which no text holds ('&#xFFFE;' in a workbook's name);
# and the other characters Unicode says are drawn as nothing (Default_Ignorable_Code_Point:
# variation selectors, fillers, invisible operators, tags), which made 'Co ❤' and 'Co ❤️' two
# clients. The joiners (U+200C, U+200D) stay: Persian and Indic names need them.
_HIDDEN = (
    r"\x00-\x08\x0e-\x1f\x7f-\x9f\x{ad}\x{200b}\x{2060}\x{feff}\x{202a}-\x{202e}\x{2066}-\x{2069}"
    r"\x{fdd0}-\x{fdef}\x{fffe}\x{ffff}"
    r"\x{34f}\x{115f}\x{1160}\x{17b4}\x{17b5}\x{180b}-\x{180f}\x{2061}-\x{2065}\x{206a}-\x{206f}"
    r"\x{3164}\x{fe00}-\x{fe0f}\x{ffa0}\x{fff0}-\x{fffb}\x{1bca0}-\x{1bca3}\x{1d173}-\x{1d17a}"
    r"\x{e0000}-\x{e0fff}"
)
_INVISIBLE = rf"[{_HIDDEN}\x09-\x0d]"
_INVISIBLE_KEEP_LINES = rf"[{_HIDDEN}\x0b\x0c]"
# Invisible marks that never change a number or a date, though writers leave them in figures:
# direction marks (Hebrew exports: '\u200f1,000'), embeddings, isolates, zero-width characters.
_MARKS = r"[\x{ad}\x{61c}\x{200b}-\x{200f}\x{202a}-\x{202e}\x{2060}\x{2066}-\x{2069}\x{feff}]"
# A direction override (LRO, RLO) with two figures after it before its end (PDF): it reverses
# the order the figures are shown in.
_REORDERED = r"[\x{202d}\x{202e}][^\x{202c}]*\d[^\x{202c}]*\d"
# Every character clean_name changes: the invisible ones and the line separators.
_UNCLEAN = rf"[{_HIDDEN}\x09-\x0d\x{{2028}}\x{{2029}}]"

# Terminal escape sequences: control (CSI, ESC [ or U+009B ... final), operating system
# commands (OSC, ESC ] ... BEL or ESC \) and two-character escapes.
_ESCAPES = r"(?:\x1b\[|\x{9b})[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]"

# Text columns stay as the reader chunked them: joining chunks would copy every cell.
Text = pa.Array | pa.ChunkedArray


def as_arrow(values: pd.Series | pa.Array | pa.ChunkedArray) -> Text:
    """The cells as Arrow text: a Series' text, an Arrow column as it is (chunks kept, no copy)."""
    if isinstance(values, pd.Series):
        return pa.array(values.astype("str"), type=pa.string(), from_pandas=True)
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = pc.cast(values, pa.string())
    return values


# Rows a long column's copies are made for at a time (trimmed, keyed, cut for display): whole
# columns of long text were copied at once, hundreds of megabytes for a moment.
SLICE_ROWS = 65_536
_CLEAN_BYTES = 64 * 1024 * 1024


def clean_arrow(values: pd.Series | pa.Array | pa.ChunkedArray) -> Text:
    """Trimmed cells, blanks as nulls; the cells' own array when nothing changes (no copy)."""
    arr = as_arrow(values)
    if len(arr) <= SLICE_ROWS or arr.nbytes <= _CLEAN_BYTES:
        return _cleaned(arr)
    # A long column's text a slice of rows at a time: its trimmed copy was made whole before
    # it was known to differ (500,000 cells of 1,000 characters: 480 MB for nothing). Shorter
    # columns are cleaned whole: their slices' copies, kept apart, held 35 MB more at a million
    # rows.
    parts = [_cleaned(arr.slice(at, SLICE_ROWS)) for at in range(0, len(arr), SLICE_ROWS)]
    pieces = [chunk for part in parts for chunk in getattr(part, "chunks", [part])]
    return pa.chunked_array(pieces, arr.type)


def _cleaned(arr: Text) -> Text:
    """clean_arrow of a few rows."""
    trimmed = pc.utf8_trim_whitespace(arr)
    lengths = pc.binary_length(trimmed)
    # Trimming only removes bytes: equal totals mean no cell changed, so keep the original.
    if pc.sum(lengths).as_py() == pc.sum(pc.binary_length(arr)).as_py():
        trimmed = arr
    blank = pc.equal(lengths, 0)
    if pc.any(blank).as_py():
        trimmed = pc.if_else(blank, pa.scalar(None, trimmed.type), trimmed)
    return trimmed


# No amount or date is written in more bytes ("(₪ 1,234,567,890.00)" takes 26): a longer cell
# is not read as one (40,000 cells of 9,000 characters took the parsers 78 s and 2.8 GB).
LONGEST_FIGURE = 64
# The largest double written out in figures takes 309 of them, and a sign and decimals more.
LONGEST_WRITTEN_OUT = 400


def figures_only(arr: Text) -> Text:
    """The cells, those too long to be an amount or a date as missing (the same if none)."""
    if not len(arr) or (pc.max(pc.binary_length(arr)).as_py() or 0) <= LONGEST_FIGURE:
        return arr
    lengths = pc.binary_length(arr)
    long = pc.greater(lengths, LONGEST_FIGURE)
    # A workbook's number past 10**64 arrives written out in full (1e300 as 301 figures): it
    # is kept, so that it is read and refused as out of range, not as no amount at all.
    some = pc.and_(long, pc.less_equal(lengths, LONGEST_WRITTEN_OUT))
    if pc.any(some).as_py():
        digits = pc.match_substring_regex(
            pc.if_else(some, arr, pa.scalar(None, arr.type)), r"^-?\d+(?:\.\d+)?$"
        )
        long = pc.and_(long, pc.invert(pc.fill_null(digits, False)))
    return pc.if_else(long, pa.scalar(None, arr.type), arr)


def may_hold(arr: Text, needle: bytes) -> bool:
    """False when no cell's text holds needle, read off the text buffers (a few milliseconds a
    million cells); True may still be a cell sliced away or missing: confirm cell by cell."""
    for chunk in arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]:
        buffers = chunk.buffers()
        data = buffers[2] if len(buffers) > 2 else None
        if (
            data is not None
            and data.size
            and len(chunk)
            and memoryview(data).tobytes().find(needle) >= 0
        ):
            return True
        if data is None and len(chunk) and chunk.null_count < len(chunk):
            return True  # not a plain string array: no buffer to read, so it may
    return False


def byte_range(arr: Text) -> tuple[int, int]:
    """The smallest and largest byte of the cells' text: (256, -1) when there is none.

    Read from the text buffers (a few milliseconds a million cells, where a pass of Arrow's
    kernels over the cells takes tens), between the first cell's start and the last cell's
    end: a slice's range leaves out the cells sliced away (a title above the header), though
    a missing cell may still hold bytes. A range that rules a byte out is certain, one that
    lets it in must be confirmed cell by cell.
    """
    low, high = 256, -1
    for chunk in arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]:
        buffers = chunk.buffers()
        data = buffers[2] if len(buffers) > 2 else None
        if data is None or not data.size or not len(chunk):
            continue
        view = np.frombuffer(data, dtype=np.uint8)
        wide = {pa.string(): np.int32, pa.large_string(): np.int64}.get(chunk.type)
        if wide is not None and buffers[1] is not None:
            offsets = np.frombuffer(buffers[1], dtype=wide)
            view = view[int(offsets[chunk.offset]) : int(offsets[chunk.offset + len(chunk)])]
        if view.size:
            low, high = min(low, int(view.min())), max(high, int(view.max()))
    return low, high


def is_ascii(arr: Text) -> bool:
    """True when every cell is ASCII (blank and missing cells are)."""
    if byte_range(arr)[1] < 0x80:
        return True
    return pc.all(pc.string_is_ascii(arr)).as_py() is not False


def without_marks(arr: Text) -> Text:
    """Cleaned cells of figures (amounts, dates) without invisible marks; the same if none."""
    if len(arr) and byte_range(arr)[0] == 0:  # NUL padding of a fixed-width export
        arr = clean_arrow(pc.replace_substring_regex(arr, "^\x00+|\x00+$", ""))
    if not len(arr) or is_ascii(arr):
        return arr  # the marks are not ASCII: most columns are, and are kept without a scan
    plain = pc.replace_substring_regex(arr, _MARKS, "")
    if may_hold(arr, "\u202e".encode()) or may_hold(arr, "\u202d".encode()):
        # An override before figures shows them in another order than stored (the file shows
        # 1200 where it holds 0021, stored as 21): such a cell keeps it and reads as no figure.
        reordered = pc.fill_null(pc.match_substring_regex(arr, _REORDERED), False)
        plain = pc.if_else(reordered, arr, plain)
    return clean_arrow(plain)


def drop_invisible(values: pd.Series) -> pd.Series:
    """Text without byte-order marks, zero-width spaces, NUL and control characters.

    Tabs and line breaks stay (notes keep their lines); direction marks and joiners stay too.
    """
    arr = as_arrow(values)
    if _needs_cleaning(arr):
        arr = pc.replace_substring_regex(arr, _INVISIBLE_KEEP_LINES, "")
    return as_series(arr, values.index)


def as_series(arr: Text, index: pd.Index | None = None) -> pd.Series:
    """An Arrow string array as a text Series (missing as NaN)."""
    return pd.Series(arr, index=index, dtype="str")


def clean_text(values: pd.Series) -> pd.Series:
    """Strip text cells and turn blanks into missing values."""
    return as_series(clean_arrow(values), values.index)


def _needs_cleaning(arr: Text) -> bool:
    """True when some cell may hold a character clean_name removes or replaces."""
    # An ASCII column (most) is settled by one fast pass; others by one regular expression.
    low, high = byte_range(arr)
    if low >= 0x20 and high < 0x7F:
        return False  # printable ASCII throughout, read off the buffers
    if is_ascii(arr):
        return pc.all(pc.ascii_is_printable(arr)).as_py() is False
    return bool(pc.any(pc.match_substring_regex(arr, _UNCLEAN)).as_py())


def clean_name_arrow(arr: Text) -> Text:
    """Cleaned text to store: control characters dropped, line breaks and tabs as spaces."""
    if _needs_cleaning(arr):
        if may_hold(arr, b"\x1b") or may_hold(arr, "\x9b".encode()):
            # A terminal's escape sequence whole: without its escape character alone,
            # ']0;title' or '[2J' stayed in the name.
            arr = pc.replace_substring_regex(arr, _ESCAPES, "")
        # NEL (U+0085) is no line break inside a cell: Excel and LibreOffice show nothing
        # for it (it is '…' of Windows-1252 read as Latin-1); it goes as a control character.
        arr = pc.replace_substring_regex(arr, r"[\t\n\r\x0b\x0c\x{2028}\x{2029}]+", " ")
        arr = pc.replace_substring_regex(arr, _INVISIBLE, "")
    arr = clean_arrow(arr)
    if len(arr) and may_hold(arr, b" (http") and pc.any(pc.match_substring(arr, " (http")).as_py():
        # Notion writes a relation as its page's name and address: 'Acme Corp (https://...)'.
        arr = pc.replace_substring_regex(arr, r"\s+\(https?://[^\s()]*\)", "")
    if len(arr) and not is_ascii(arr):
        # A cell of nothing but direction marks and joiners names nobody: blank, not a client
        # whose name looks empty.
        # The Braille blank (U+2800) is no mark, but a cell of it alone shows nobody either.
        only_marks = pc.fill_null(
            pc.match_substring_regex(arr, rf"^(?:{_MARKS}|\s|\x{{2800}})+$"), False
        )
        if pc.any(only_marks).as_py():
            arr = pc.if_else(only_marks, pa.scalar(None, arr.type), arr)
    return arr


def one_line_arrow(arr: Text) -> Text:
    """Names as one line: cleaned as clean_name_arrow, runs of spaces as one ('Dana\nCohen' and
    'Dana  Cohen' are 'Dana Cohen')."""
    arr = clean_name_arrow(arr)
    if len(arr) and pc.any(pc.match_substring(arr, "  ")).as_py():
        arr = pc.replace_substring_regex(arr, " {2,}", " ")
    return arr


def one_line(text: str) -> str:
    """One name as one line, without invisible characters ('' when nothing is left)."""
    return one_line_arrow(pa.array([text], pa.string()))[0].as_py() or ""


def id_arrow(arr: Text, plain_ids: bool = True) -> Text:
    """Identifiers kept as text ('00001' stays) without the '.0' numeric cells carry.

    plain_ids: also without direction marks, full-width forms, no-break spaces or Excel's
    text prefix (databases whose stored ids were made so: meta name_keys 3).
    """
    arr = clean_name_arrow(arr)
    if plain_ids:
        arr = _plain_ids(arr)
    numeric = pc.match_substring_regex(arr, r"^\d+\.0+$")
    if not pc.any(numeric).as_py():  # one test instead of a rewrite of every id
        return arr
    return pc.replace_substring_regex(arr, r"^(\d+)\.0+$", r"\1")


def _plain_ids(arr: Text) -> Text:
    """Ids without what a locale's tool adds: 'C1' written with direction marks, as 'Ｃ１' or
    with a no-break space, or '00123 typed with Excel's text prefix, is one client."""
    if len(arr) and not is_ascii(arr):
        arr = pc.replace_substring_regex(arr, _MARKS, "")
        # Compatibility forms only where a cell holds a full-width letter or a wide space:
        # elsewhere 'A²' stays apart from 'A2'.
        wide = pc.match_substring_regex(arr, r"[\x{ff01}-\x{ff5e}\x{a0}\x{2007}\x{202f}\x{3000}]")
        arr = clean_arrow(
            pc.if_else(pc.fill_null(wide, False), pc.utf8_normalize(arr, "NFKC"), arr)
        )
    if len(arr) and pc.any(pc.starts_with(arr, "'")).as_py():
        # Excel's text prefix ('00123, typed so the zeros stay) is not part of the id.
        arr = pc.replace_substring_regex(arr, r"^'(\d)", r"\1")
    return arr
