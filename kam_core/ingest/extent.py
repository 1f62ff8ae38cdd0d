"""The used range of a worksheet, measured from its XML as it is inflated, chunk by chunk.

The workbook reader allocates every cell of a sheet's used range (rows x columns) at once, so
the range is measured before any parser sees the sheet: a linear pass over the cell tags, and
an exact streaming parse (expat) for markup the linear pass cannot judge.
"""

from __future__ import annotations

import math
import re
from array import array
from operator import itemgetter
from xml.parsers import expat

import numpy as np

from kam_core.i18n import N_, _
from kam_core.ingest.errors import ImportRefused

OUT_CHUNK = 1 << 20  # inflate in 1 MB steps: memory stays flat whatever the ratio
MAX_ROW = 1_048_576  # Excel's last row
FULL_ROW_CHECK = 64 << 20  # every row number and cell position is compared in the first 64 MB
_CELL_KEY = 1 << 15  # a cell's place as one number: row * this + column (3 letters reach 18,278)
DOCTYPE = N_(
    "it declares a DOCTYPE or entities, which spreadsheets never need (an entity bomb or an "
    "external-entity attack). Refused for safety"
)
MAX_FORMULA_ROWS = 1_000_000  # rows remembered per column for cells with unsaved formulas
# Cell start tags with the position first, as Excel, LibreOffice and every common writer put
# it; any other cell tag (no position, position not first) sends the sheet to the exact count.
# Some writers put a namespace prefix on every element (<x:c r="A1">): the sheet's own prefix
# is found in its first chunk and the patterns are built for it.
_ROOT_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.\-]*):)?worksheet[\s>]")
# Any size: the range check judges it; written absolute ($A$2) it is the same cell (read.py).
_REF = re.compile(r"\$?([A-Za-z]{1,9})\$?([0-9]{1,30})$")
# A shared-text cell written the usual way: its value the string's number, digits alone. The
# reader takes any other value ("1.0", "+2", " 1", "x") as string 0 without a word, so a sheet
# holding another kind of shared-text cell goes to the exact count, which refuses such values.
_SHARED_PLAIN = re.compile(rb't="s"[^<>]{0,1000}>\s{0,100}<(?:[\w.\-]{1,100}:)?v>[0-9]{1,10}</')
_SHARED_INDEX = re.compile(r"[0-9]{1,10}")
_MERGE_REF = re.compile(
    rb"""<(?:[\w.\-]{1,100}:)?mergeCell\s[^<>]{0,1000}?\bref\s*=\s*["']([^"'<>]{1,40})["']"""
)
_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?([0-9]{1,7})")
MAX_MERGES = 100_000  # merged ranges kept per sheet
MAX_HIDDEN = 16_384  # columns a sheet can have: hidden ones beyond are not noted
MAX_HIDDEN_RANGES = 16_384  # <col> elements looked at: Excel writes one per run of columns
_COLUMN_NUMBER = re.compile(r"[0-9]{1,5}")
_COL_TAG = re.compile(rb"<(?:[\w.\-]{1,100}:)?col\s([^<>]{0,1000})/?>")
_HIDDEN_ATTR = re.compile(rb'\bhidden="(?:1|true)"')
_MIN_ATTR = re.compile(rb'\bmin="([0-9]{1,5})"')
_MAX_ATTR = re.compile(rb'\bmax="([0-9]{1,5})"')
_CDATA = b"<![CDATA["
# A cell typed inline text whose text is written as a value (<c t="inlineStr"><v>Acme</v>),
# as some generators write it: the reader looks for <is> and reads the cell as empty.
INLINE_VALUE = re.compile(rb"""inlineStr["'][^<>]{0,1000}>\s{0,100}<(?:[\w.\-]{1,100}:)?v[\s>]""")
_INLINE_EDGE = 1200  # longer than any match of INLINE_VALUE: one cut between pieces is seen
# A cell's value holding a reference (<v>1&#160;200</v>, <v>&#32;0</v>, <v>&#49;&#50;</v>), a
# comment or a processing instruction (<v>12<!-- -->00</v>), after the cell's formula if it has
# one: the reader takes a number's text up to the first of them, so '1&#160;200' was read as 1,
# '&#32;0' as empty and '12<!-- -->00' as 12. Such cells not typed as text are typed as text
# results (recode), whose value the reader takes whole, as Excel does.
VALUE_REF = re.compile(
    rb"<((?:[\w.\-]{1,100}:)?c)\b([^<>]{0,1000})>"
    rb"(\s{0,100}(?:<(?:[\w.\-]{1,100}:)?f\b[^<>]{0,1000}"
    rb"(?:/>|(?<!/)>[^<]{0,100000}</(?:[\w.\-]{1,100}:)?f\s{0,100}>)\s{0,100})?"
    rb"<(?:[\w.\-]{1,100}:)?v(?:\s[^<>/]{0,1000})?>[^<&]{0,1000}(?:&#|<!--|<\?))"
)
VALUE_MARKS = (b"&#", b"<!--", b"<?")  # what VALUE_REF ends with
# A value the reader does not read as written: a number whose value holds an element
# (<v>12<x/>00</v>: read up to it, as 12) or is no finite number (NaN, inf, 1e400: a date
# shown as 1899-12-30, an amount as inf), or a cell with a second value (<v>5</v><v>7</v>:
# the last one read). ODD_VALUE finds each value that is not a plain number followed by the
# end of its cell; its cell is looked at closely (VALUE_CELL). Built for the sheet's prefix.
_PLAIN_NUMBER = rb"[\s0-9.+\-]*+(?:[eE][+\-]?[0-9]{1,2}(?![0-9]))?+"
# A cell and its value whose text is not a plain number (groups: the cell's name, its
# attributes, its formula, the value's start tag, its content, its end tag).
VALUE_CELL = re.compile(
    rb"<((?:[\w.\-]{1,100}:)?c)\b([^<>]{0,1000})>"
    rb"(\s{0,100}(?:<(?:[\w.\-]{1,100}:)?f\b[^<>]{0,1000}"
    rb"(?:/>|(?<!/)>[^<]{0,100000}</(?:[\w.\-]{1,100}:)?f\s{0,100}>)\s{0,100})?)"
    rb"(<(?:[\w.\-]{1,100}:)?v(?:\s[^<>/]{0,1000})?>)(?!" + _PLAIN_NUMBER + rb"</)"
    rb"((?:[^<]|<(?!/(?:[\w.\-]{1,100}:)?v\s{0,100}>)){0,1000})"
    rb"(</(?:[\w.\-]{1,100}:)?v\s{0,100}>)"
)
# A number at least this large is kept as written (1E+100), not in the reader's figures.
WRITTEN_OUT = 1e100
# A value after a value (<v>5</v><v>7</v>, or an empty one: <v/>).
_TWICE = re.compile(rb"</(?:[\w.\-]{1,100}:)?v\s{0,100}>\s{0,100}<(?:[\w.\-]{1,100}:)?v[\s/>]")
_VALUE_START = re.compile(rb"<(?:[\w.\-]{1,100}:)?v[\s/>]")
_MARKUP_ASIDE = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.S)  # comments, instructions
# A type other than a number's: text, shared text, a flag, an error (the reader reads those).
TEXT_TYPED = re.compile(rb"""\bt\s*=\s*(["'])(?!n\1)""")
_REF_EDGE = 4096  # a number cell cut between pieces is seen (one with a formula this long)
_ODD_EQUALS = (b"='", b" =", b"= ", b"\t=", b"=\t", b"\n=", b"=\n", b"\r=", b"=\r")
# Literal searches by the pattern engine: for two-letter needles it runs faster than bytes'
# own search (0.16-0.3 ms against 0.5 ms a 575 KB piece), and the scan makes one pass each.
_CHAR_REF = re.compile(rb"&#")
# An inline-text cell whose text does not open as writers write it (<is>): looked at closely.
_INLINE_UNUSUAL = re.compile(rb'inlineStr(?!"><is>)')
# An '=' not opening a double-quoted value (t='s', r = "A1"); one at a piece's end counts too.
_EQUALS_UNQUOTED = re.compile(rb'=[^"]')


def _refuse_doctype(*_args: object) -> None:
    raise ImportRefused(_(DOCTYPE))


def xml_parser() -> expat.XMLParserType:
    """An expat parser that refuses a DOCTYPE wherever it stands (it would expand entities)."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    return parser


def column_number(letters: bytes) -> int:
    """Return the 1-based column number of Excel letters (b'A' -> 1, b'XFD' -> 16384)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ch - 64)
    return number


def column_name(number: int) -> str:
    """Return Excel's letters for a 1-based column number."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _inline_value_in(piece: bytes) -> bool:
    """True when the piece holds inline text written as a value (INLINE_VALUE)."""
    # One literal search first (memory speed): where every such cell opens its text as
    # writers do (<is>), the pattern is not searched.
    if b"inlineStr" not in piece or _INLINE_UNUSUAL.search(piece) is None:
        return False
    return INLINE_VALUE.search(piece) is not None


def value_marked(piece: bytes) -> bool:
    """True when the piece holds one of VALUE_MARKS."""
    # One-byte searches first (memchr speed, 0.01 ms a 1 MB piece): most pieces hold none of
    # '&', '!', '?', and a two-byte search costs a full pass each.
    if b"&" not in piece and b"!" not in piece and b"?" not in piece:
        return False
    return _CHAR_REF.search(piece) is not None or b"<!--" in piece or b"<?" in piece


def _odd_value(prefix: bytes) -> re.Pattern[bytes]:
    """ODD_VALUE for a sheet whose elements carry the prefix (b"" for none)."""
    p = re.escape(prefix + b":") if prefix else b""
    return re.compile(
        b"<"
        + p
        + rb"v(?:>|\s[^<>]{0,1000}>)(?!"
        + _PLAIN_NUMBER
        + b"</"
        + p
        + rb"v>\s*+</"
        + p
        + b"c>)"
    )


def odd_number(cell: re.Match[bytes]) -> str | None:
    """'element' when a VALUE_CELL number's value holds an element, 'infinite' when it is no
    finite number or one the reader writes out in figures, else None (text and other types,
    which the reader reads whole)."""
    if TEXT_TYPED.search(cell.group(2)):
        return None
    content = _MARKUP_ASIDE.sub(b"", cell.group(5))
    if b"<" in content:
        return "element"
    try:
        number = float(content.strip())
    except ValueError:
        return None  # not a number at all: the reader refuses it, read as text (read.py)
    # The reader writes 1e300 out in its 301 figures, not as Excel shows it (1E+300): past
    # WRITTEN_OUT the value is kept as written. Written with an exponent of three digits, as
    # writers write it, it is a value the scan's search for plain numbers already stops at.
    return None if math.isfinite(number) and abs(number) < WRITTEN_OUT else "infinite"


def _odd_values_in(piece: bytes) -> tuple[bool, bool]:
    """(a number to rewrite as text, a cell with two values) among the piece's VALUE_CELLs."""
    rewrite = twice = False
    for cell in VALUE_CELL.finditer(piece):
        rewrite = rewrite or odd_number(cell) is not None
        twice = twice or _VALUE_START.search(cell.group(5)) is not None  # a value in a value
    return rewrite, twice or _TWICE.search(piece) is not None


def _number_ref_in(piece: bytes) -> bool:
    """True when the piece holds a cell not typed as text whose value holds a reference."""
    # The marks first: most sheets hold none, their text being shared.
    if not value_marked(piece):
        return False
    return any(not TEXT_TYPED.search(cell.group(2)) for cell in VALUE_REF.finditer(piece))


class Extent:
    """Track the largest row and column a worksheet's cells use, chunk by chunk.

    The fast pass looks for cell tags with their position first (linear patterns, no
    backtracking); the exact pass is a streaming XML parse (expat) that places cells as the
    reader does (implicit positions, value-less cells skipped). Both are linear in the input.
    """

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self.regular = True
        self.max_row = 0
        self.max_col = 0
        self.shared = 0  # cells whose value is a shared string
        self.hidden = 0  # rows and columns hidden (by a filter or by hand)
        # A CDATA section somewhere in the part: the reader takes a value written in one as
        # empty, so the sheet is rewritten before it is read (recode.cdata_as_text).
        self.cdata = False
        self._edge = b""  # the previous chunk's last bytes, for a marker cut in two
        # Inline text written as a value (INLINE_VALUE): read as empty, so rewritten too.
        self.inline_values = False
        self._inline_edge = b""
        # A number whose value holds a character reference (VALUE_REF): rewritten too.
        self.number_refs = False
        self._ref_edge = b""
        # A number whose value holds an element or is no finite number (ODD_VALUE): rewritten
        # too; a cell with a second value sends the sheet to the exact count, which refuses it.
        self.odd_numbers = False
        self._odd: re.Pattern[bytes] | None = None
        self._odd_edge = b""
        self._values = 0  # the exact count: values met in the current cell
        self._in_value = False
        self._hidden_ranges: list[tuple[int, int]] = []  # <col> ranges hidden, from 0, end out
        self.root = ""  # the local name of the part's root element
        self.row_index = 0  # the exact count follows the reader: 0-based, implicit positions
        self.col_index = 0
        self._cell: tuple[int, int] | None = None
        self._filled = False
        self._carry = b""
        self._patterns: tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]] | None
        self._patterns = None
        self._start_tag = b"<c"
        self._unusual: tuple[tuple[int, int], re.Pattern[bytes]] | None = None
        # Cells holding a formula with no saved result (a workbook written by a program and
        # never opened in Excel): column index -> [cells, first cell, Excel row numbers]. The
        # reader sees them as empty, so the import says why.
        self.formulas: dict[int, list] = {}
        # Merged ranges one column wide and rows tall (a client written once beside its
        # orders): (column, first row, last row), 0-based, filled down when rows are parsed.
        self.merges: list[tuple[int, int, int]] = []
        self._formula: tuple[re.Pattern[bytes], re.Pattern[bytes]] | None = None
        self._row = re.compile(rb"(?!)")
        self._cell_rows = self._cell_cols = self._row
        self._row_tag = b'<row r="'
        self._last_row = 0
        self._checked = 0  # bytes whose row numbers were all compared
        # Rows met by the exact count: the reader would let a row written twice overwrite the
        # first, losing its cells without a word, so a repeated row number is refused.
        self._rows_seen = bytearray()
        # Cells written out of place (two at one position: the second overwrites the first).
        # The fast pass compares every cell's place in the first 64 MB, the exact count keeps
        # the places of the cells with a value and looks for one held twice.
        self._cells_checked = 0
        self._last_cell = -1
        self._places = array("q")
        self._in_order = True
        self._parser = xml_parser() if exact else None
        if self._parser is not None:
            self._parser.buffer_text = True
            self._parser.StartElementHandler = self._start
            self._parser.EndElementHandler = self._end
            self._parser.CharacterDataHandler = self._text
        self._shared_cell = False  # the exact count is inside a shared-text cell
        self._index: list[str] | None = None  # the text of its value, while inside it

    def _fast_patterns(self, piece: bytes) -> tuple[re.Pattern[bytes], ...]:
        """Cell patterns for the prefix the sheet uses (found once, in its first chunk)."""
        if self._patterns is None:
            root = _ROOT_PREFIX.search(piece)
            self.root = "worksheet" if root else self.root
            prefix = root.group(1) if root and root.group(1) else b""
            self._start_tag = b"<" + prefix + b":c" if prefix else b"<c"
            tag = re.escape(self._start_tag)
            formula = re.compile(re.escape(b"<" + prefix + b":f" if prefix else b"<f"))
            self._formula = (formula, _formula_cell(prefix))
            row = re.escape(b"<" + prefix + b":row" if prefix else b"<row")
            self._row_tag = (b"<" + prefix + b":row" if prefix else b"<row") + b' r="'
            self._row = re.compile(row + rb' r="([0-9]{1,10})"')
            self._cell_rows = re.compile(tag + rb' r="[A-Z]{1,3}([0-9]{1,10})"')
            self._cell_cols = re.compile(tag + rb' r="([A-Z]{1,3})[0-9]')
            self._patterns = (
                re.compile(tag + rb' r="([A-Z]{1,3})([0-9]{1,10})"'),
                # a cell tag written any other way: no position, position not first, another
                # space or a line break before it, or a position the cell pattern does not take
                re.compile(tag + rb'(?:[>/]|[^\S ]| (?!r="[A-Z]{1,3}[0-9]{1,10}"))'),
                # a cell tag with any other prefix (or none, in a prefixed sheet)
                re.compile(rb"<(?!" + re.escape(prefix) + rb":c[\s/>])(?:[\w.\-]+:)?c[\s/>]")
                if prefix
                else re.compile(rb":c[\s/>]"),
            )
        return self._patterns

    def feed(self, chunk: bytes, final: bool = False) -> None:
        """Take the next piece of the sheet's XML; a tag cut at the end waits for the next one."""
        if not self.cdata:
            self.cdata = _CDATA in chunk or _CDATA in self._edge + chunk[: len(_CDATA)]
            self._edge = chunk[-len(_CDATA) :]
        if not self.inline_values:
            edge = self._inline_edge + chunk[:_INLINE_EDGE]  # a match cut between pieces
            self.inline_values = any(_inline_value_in(piece) for piece in (chunk, edge))
            self._inline_edge = chunk[-_INLINE_EDGE:]
        if not self.number_refs:
            edge = self._ref_edge + chunk[:_REF_EDGE]
            self.number_refs = any(_number_ref_in(piece) for piece in (chunk, edge))
            self._ref_edge = chunk[-_REF_EDGE:]
        self._odd_values(chunk)
        if self._parser is not None:
            try:
                self._parser.Parse(chunk, final)
                if final:
                    self._refuse_twice_placed()
            except expat.ExpatError as exc:
                raise ImportRefused(
                    _(
                        "the worksheet is not well-formed XML ({error} at line {line}, "
                        "column {column})"
                    ).format(error=expat.ErrorString(exc.code), line=exc.lineno, column=exc.offset)
                ) from None
            return
        if not self.regular:
            return  # the exact pass measures this sheet again
        buf = self._carry + chunk
        # Cut before the last cell's start, so no piece ends inside a cell (a shared-text cell
        # cut after its <v> would not read as one); without one, before the last tag.
        cut = len(buf) if final else buf.rfind(self._start_tag + b" ")
        if cut <= 0 and not final:
            cut = buf.rfind(b"<")
        if cut > 0:
            self._fast(buf[:cut])
        self._carry = buf[max(cut, 0) :] if cut >= 0 else b""
        if len(self._carry) > OUT_CHUNK:
            # A long text run after a tag: measure that tag and drop the text (no tag in it).
            end = self._carry.find(b">")
            if end < 0:
                # A tag longer than 1 MB (a long attribute): the exact count judges the part
                # if it is a sheet; any other part (an image, custom XML) is not measured.
                self.regular = False
                self._carry = b""
                return
            self._fast(self._carry[: end + 1])
            self._carry = b""

    def _odd_values(self, chunk: bytes) -> None:
        """Look for odd values (ODD_VALUE) in the chunk and across its start."""
        if self._odd is None:
            root = _ROOT_PREFIX.search(chunk)
            self._odd = _odd_value(root.group(1) if root and root.group(1) else b"")
        edge = self._odd_edge + chunk[:_REF_EDGE]
        self._odd_edge = chunk[-_REF_EDGE:]
        for piece in (chunk, edge):
            # Up to the last cell's end: a value cut at the piece's end is seen whole later.
            if self._odd.search(piece, 0, piece.rfind(b"c>") + 2) is None:
                continue
            rewrite, twice = _odd_values_in(piece)
            self.odd_numbers = self.odd_numbers or rewrite
            if twice:
                self.regular = False  # the exact count names the cell

    def _fast(self, piece: bytes) -> None:
        if b"mergeCell" in piece:  # one search for either spelling (the pattern decides)
            for ref in _MERGE_REF.findall(piece):
                self._merged(ref.decode("ascii"))
        cell, irregular, foreign = self._fast_patterns(piece)
        if not self.regular:
            return  # the exact pass measures this sheet again
        if foreign.search(piece):
            self.regular = False
            return
        if not self._rows_in_order(piece):
            self.regular = False  # the exact pass finds a row written twice
            return
        if not self._cells_in_order(piece):
            self.regular = False  # the exact pass finds a cell written twice
            return
        # Searched first (one pass): only a piece holding some '=' without a quote after it
        # is searched for the odd ones (each search of a short needle costs a full pass).
        unquoted = _EQUALS_UNQUOTED.search(piece) is not None or piece.endswith(b"=")
        if unquoted and any(odd in piece for odd in _ODD_EQUALS):
            # An attribute in single quotes or with spaces around its '=' (t='s', r = "A1"):
            # the patterns here read double quotes only, so the exact count measures it (as
            # it does a sheet whose text holds ' = ', a rare cost).
            self.regular = False
            return
        shared = piece.count(b't="s"')
        if shared and len(_SHARED_PLAIN.findall(piece)) != shared:
            self.regular = False  # the exact count looks at each shared cell's value
            return
        self.shared += shared
        hidden = piece.count(b'hidden="1"')
        if hidden:
            self.hidden += hidden
            for attrs in _COL_TAG.findall(piece):
                self._hide_columns(attrs)
        if self._formula is not None and self._formula[0].search(piece):
            self._take_formulas(_unsaved(self._formula[1].findall(piece)))
        # A sheet written in order has its piece's largest row in the last cell: take that
        # cell first, then look for any cell tag that is not regular, of a known column and
        # in a row up to the largest. In order there is none, and one search replaces
        # collecting every cell's position.
        last = piece.rfind(self._start_tag + b' r="')
        found = cell.match(piece, last) if last >= 0 else None
        if found is not None:
            self._take([found.groups()])
        if self._unusual_cell().search(piece) is None:
            return
        if irregular.search(piece):
            self.regular = False
            return
        self._take(cell.findall(piece))

    def _rows_in_order(self, piece: bytes) -> bool:
        """True when the piece's numbered rows follow the ones before in increasing order."""
        first = self._row.search(piece)
        if first is None:
            return True
        last = self._row.match(piece, piece.rfind(self._row_tag))
        low, high = int(first.group(1)), int(last.group(1)) if last else 0
        if low <= self._last_row or high < low:
            return False
        self._last_row = high
        # Past the first 64 MB, rows one after another (most sheets) as many as their span
        # are taken as they are: collecting every row number costs a quarter of the scan's
        # time. A row written twice there is caught only when rows were added, not renumbered.
        self._checked += len(piece)
        if self._checked > FULL_ROW_CHECK and piece.count(self._row_tag) == high - low + 1:
            return True
        numbers = np.array(b" ".join(self._row.findall(piece)).split(), dtype=np.int64)
        return bool((np.diff(numbers) > 0).all())

    def _cells_in_order(self, piece: bytes) -> bool:
        """True when the piece's cells follow the ones before, row by row, left to right."""
        # In the first 64 MB every cell's place is compared (a fifth of the scan's time
        # there); past it cells are taken in the order of their rows, as rows are.
        self._cells_checked += len(piece)
        if self._cells_checked > FULL_ROW_CHECK:
            return True
        rows = self._cell_rows.findall(piece)
        if not rows:
            return True
        cols = self._cell_cols.findall(piece)
        # A cell tag holding its position twice (the reader takes the last): the exact
        # parse refuses the repeated attribute.
        positions = piece.count(b' r="') - piece.count(self._row_tag)
        if len(cols) != len(rows) or positions != len(rows):
            return False
        codes = {letters: column_number(letters) for letters in set(cols)}
        key = np.array(b" ".join(rows).split(), dtype=np.int64) * _CELL_KEY
        key += np.fromiter(map(codes.__getitem__, cols), np.int64, len(cols))
        ordered = key[0] > self._last_cell and bool((np.diff(key) > 0).all())
        self._last_cell = int(key[-1])
        return ordered

    def _refuse_twice_placed(self) -> None:
        """Refuse a cell with a value placed where another one was (the exact count)."""
        if self._in_order:
            return
        places = np.sort(np.frombuffer(self._places, dtype=np.int64))
        twice = places[1:][places[1:] == places[:-1]]
        if len(twice):
            row, col = divmod(int(twice[0]), _CELL_KEY)
            raise ImportRefused(
                _(
                    "the worksheet holds cell {cell} twice, and the second would overwrite the "
                    "first. Open the file in Excel or LibreOffice, save it again and upload that"
                ).format(cell=f"{column_name(col + 1)}{row + 1}")
            )

    def _take_formulas(self, found: list[tuple[bytes, bytes]]) -> None:
        """Count the cells whose formula has no saved result, by column, with their rows."""
        for letters, row in found:
            entry = self.formulas.setdefault(column_number(letters) - 1, [0, "", []])
            if not entry[0]:
                entry[1] = (letters + row).decode()
            entry[0] += 1
            if len(entry[2]) < MAX_FORMULA_ROWS:
                entry[2].append(int(row))

    def _take(self, found: list[tuple[bytes, bytes]]) -> None:
        """Raise the largest row and column to those of the cells found (column, row)."""
        rows = set(map(itemgetter(1), found))  # sets first: few distinct values to convert
        cols = set(map(itemgetter(0), found))
        self.max_row = max(self.max_row, max(map(int, rows)))
        self.max_col = max(self.max_col, max(map(column_number, cols)))

    def _unusual_cell(self) -> re.Pattern[bytes]:
        """A cell tag other than a regular one within the largest row and column so far."""
        key = (self.max_row, self.max_col)
        if self._unusual is None or self._unusual[0] != key:
            column = _up_to(column_name(self.max_col), "A", "Z")
            usual = b'r="' + column + _up_to(str(self.max_row), "0", "9") + b'"'
            pattern = re.escape(self._start_tag) + rb"(?:[>/]|[^\S ]| (?!" + usual + rb"))"
            self._unusual = (key, re.compile(pattern))
        return self._unusual[1]

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit(":", 1)[-1]
        if not self.root:
            self.root = name
        if name in ("row", "col") and attrs.get("hidden", "").strip() in ("1", "true"):
            self.hidden += 1
            if name == "col":
                self._hide_range(attrs.get("min", ""), attrs.get("max", ""))
        if name == "mergeCell":
            self._merged(attrs.get("ref", ""))
            return
        if name == "row":
            number = attrs.get("r", "").strip().removeprefix("$")
            if number.isdigit():
                self.row_index = int(number) - 1
                self._seen(int(number))
            return
        if name == "c":
            ref = _REF.match(attrs.get("r", "").strip())
            if ref:
                row, col = int(ref.group(2)) - 1, column_number(ref.group(1).encode()) - 1
                self.col_index = col
            else:
                row, col = self.row_index, self.col_index
            self.col_index += 1
            self._cell = (row, col)
            self._filled = False
            self._values = 0
            self._shared_cell = attrs.get("t") == "s"
            if self._shared_cell:
                self.shared += 1
            return
        if self._cell is not None and name in ("v", "is", "f"):
            self._filled = True
            if name == "v":
                self._second_value()
            if name == "v" and self._shared_cell:
                self._index = []

    def _hide_columns(self, attrs: bytes) -> None:
        """Note the columns a <col> element hides (its attributes as written)."""
        if not _HIDDEN_ATTR.search(attrs):
            return
        low, high = _MIN_ATTR.search(attrs), _MAX_ATTR.search(attrs)
        if low and high:
            self._hide_range(low.group(1).decode(), high.group(1).decode())

    def _hide_range(self, low: str, high: str) -> None:
        """Note the columns low to high (from 1, as a <col> element counts them) as hidden."""
        low, high = low.strip(), high.strip()
        if not (_COLUMN_NUMBER.fullmatch(low) and _COLUMN_NUMBER.fullmatch(high)):
            return  # not a column number ('²', a thousand digits): nothing to note
        if len(self._hidden_ranges) < MAX_HIDDEN_RANGES:
            self._hidden_ranges.append((max(int(low) - 1, 0), min(int(high), MAX_HIDDEN)))

    @property
    def hidden_columns(self) -> set[int]:
        """The columns hidden (from 0), up to MAX_HIDDEN; each column counted once, however
        many <col> elements name it."""
        hidden: set[int] = set()
        reach = 0  # the columns before it are counted: ranges over one another add nothing
        for first, end in sorted(self._hidden_ranges):
            hidden.update(range(max(first, reach), end))
            reach = max(reach, end)
        return hidden

    def _merged(self, ref: str) -> None:
        """Keep a merged range one column wide and more than a row tall."""
        found = _RANGE.fullmatch(ref.strip().upper())
        if found is None or len(self.merges) >= MAX_MERGES:
            return
        first, top, last, bottom = found.groups()
        if first == last and int(bottom) > int(top):
            col = column_number(first.encode()) - 1
            self.merges.append((col, int(top) - 1, int(bottom) - 1))

    def _seen(self, row: int) -> None:
        """Remember a row number; refuse one met before."""
        if row > MAX_ROW:
            return  # beyond any sheet: the range check refuses it
        if row >= len(self._rows_seen):
            self._rows_seen.extend(bytes(max(row + 1 - len(self._rows_seen), 1 << 16)))
        if self._rows_seen[row]:
            raise ImportRefused(
                _(
                    "the worksheet holds row {row} twice, and the second would overwrite the "
                    "first. Open the file in Excel or LibreOffice, save it again and upload that"
                ).format(row=row)
            )
        self._rows_seen[row] = 1

    def _text(self, text: str) -> None:
        if self._index is not None and len(self._index) < 16:
            self._index.append(text)

    def _shared_index(self) -> None:
        """Refuse a shared-text cell whose value is not the string's number in digits."""
        value = "".join(self._index or [])
        self._index = None
        if _SHARED_INDEX.fullmatch(value) or self._cell is None:
            return
        row, col = self._cell
        raise ImportRefused(
            _(
                "cell {cell} refers to shared text by '{value}', which is not a number (it "
                "would read as another cell's text). Open the file in Excel or LibreOffice, save "
                "it again and upload that"
            ).format(cell=f"{column_name(col + 1)}{row + 1}", value=value[:40])
        )

    def _second_value(self) -> None:
        """Count a value of the current cell; refuse a second one, or one inside another."""
        self._values += 1
        if (self._values > 1 or self._in_value) and self._cell is not None:
            row, col = self._cell
            raise ImportRefused(
                _(
                    "the worksheet gives cell {cell} two values where a cell holds one, and the "
                    "second would replace the first. Open the file in Excel or LibreOffice, "
                    "check that cell, save it again and upload that"
                ).format(cell=f"{column_name(col + 1)}{row + 1}")
            )
        self._in_value = True

    def _end(self, tag: str) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name == "v":
            self._in_value = False
        if name == "v" and self._index is not None:
            self._shared_index()
            return
        if name == "row":
            self.row_index += 1
            self.col_index = 0
        elif name == "c" and self._cell is not None:
            if self._filled:  # the reader skips cells without a value
                row, col = self._cell
                self.max_row = max(self.max_row, row + 1)
                self.max_col = max(self.max_col, col + 1)
                if row < MAX_ROW and col < _CELL_KEY:  # beyond, the range check refuses
                    place = row * _CELL_KEY + col
                    self._in_order = self._in_order and place > self._last_cell
                    self._last_cell = place
                    self._places.append(place)
            self._cell = None
            self._shared_cell = False


def _formula_cell(prefix: bytes) -> re.Pattern[bytes]:
    """A cell holding a formula and no value (an empty or missing <v>); bounded, so linear.

    Groups: the column, the row, the cell's other attributes and the empty value if written.
    """
    p = re.escape(prefix + b":" if prefix else b"")
    return re.compile(
        rb"<" + p + rb'c r="([A-Z]{1,3})([0-9]{1,10})"([^<>]{0,1000})>\s{0,100}<' + p + rb"f"
        rb"(?:[^<>]{0,1000}/>|[^<>]{0,1000}>[^<]{0,20000}</" + p + rb"f>)\s{0,100}"
        rb"(<"
        + p
        + rb"v\s{0,100}/>|<"
        + p
        + rb"v>\s{0,100}</"
        + p
        + rb"v>)?\s{0,100}</"
        + p
        + rb"c>"
    )


_TEXT_RESULT = re.compile(rb'\bt="str"')


def _unsaved(found: list[tuple[bytes, bytes, bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """(column, row) of the formula cells without a saved result."""
    # A formula of text type with an empty value has saved its result: the empty text of
    # =IF(..., "", ...), which re-saving the file does not change.
    return [
        (col, row) for col, row, attrs, value in found if not (value and _TEXT_RESULT.search(attrs))
    ]


def _up_to(text: str, low: str, high: str) -> bytes:
    """A pattern for the strings of low..high that count no more than text (a column, a row)."""
    # A shorter string, or one as long and lower at the first character that differs. A row
    # number written longer with leading zeros counts as above: it only costs the slow count.
    if not text:
        return b"(?!)"
    size = len(text)
    options = [f"[{low}-{high}]{{1,{size - 1}}}+"] if size > 1 else []  # possessive: linear
    for i, char in enumerate(text):
        if char != low:
            tail = f"[{low}-{high}]{{{size - i - 1}}}" if i < size - 1 else ""
            options.append(f"{text[:i]}[{low}-{chr(ord(char) - 1)}]{tail}")
    options.append(text)
    return ("(?:" + "|".join(options) + ")").encode()
