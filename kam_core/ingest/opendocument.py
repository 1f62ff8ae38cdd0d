"""OpenDocument spreadsheets: cell text read as LibreOffice shows it."""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib

from kam_core.i18n import _, fmt_number
from kam_core.ingest.errors import ImportRefused, named
from kam_core.ingest.grid import column_letter
from kam_core.ingest.guard import archive_kind
from kam_core.ingest.padded import CodeColumns, FormatFacts, Shown, code_affixes

_CONTENT = "content.xml"
# A tab and a line break inside a cell's paragraph: the reader drops them, gluing the words on
# either side ('Gamma<tab/>Co' read 'GammaCo', where the same name from an .xlsx reads
# 'Gamma Co'); written as a space they read as the space they show.
_BREAKS = re.compile(rb"<text:(?:tab|line-break)\s*/>")
_NEEDLES = (b"<text:tab", b"<text:line-break")
# A number cell whose stored value is no number ('1,5' written by a tool with a decimal comma):
# the reader refuses the whole file for it. Such a cell is read as the text it shows, which
# the amounts' parser reads as any written amount. So is a value of an exponent of three
# digits, which no spreadsheet stores ('1e400' read as inf, '1e100' written out in 101
# figures): shown as written, its row is rejected as out of range, as in an .xlsx. The
# attribute may be written with spaces around '=' or in single quotes, as XML allows (the
# reader read 1e999 so as inf). A cell showing no text shows its stored value. (Atomic
# groups: linear however long.)
_NUMBER = rb"(?>[-+]?(?>\d+(?>\.\d*)?|\.\d+)(?>[eE][-+]?\d{1,2})?)"
_BAD_NUMBER = re.compile(
    rb"(?<![\w:.\-])office:value\s{0,100}=\s{0,100}"
    rb'(?:"(?!' + _NUMBER + rb'")([^"]*)"' + rb"|'(?!" + _NUMBER + rb"')([^']*)')"
)
# A cell's start tag, and its end when the cell holds nothing (<c ...></c>, or <c .../>).
_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b[^>]*>(\s{0,100}</table:table-cell>)?")
_SHOWN = b"<text:p>%s</text:p>"
# A number cell without its stored number (office:value-type="float" and only <text:p>12</text:p>):
# the reader read it as empty, where LibreOffice shows the text. Such a cell is read as the
# text it shows too. (Bounded lookaheads over one tag: linear.)
_VALUELESS = re.compile(
    rb'<table:table-cell\b(?=[^<>]{0,10000}?\boffice:value-type="(?:float|percentage|currency)")'
    rb"(?![^<>]{0,10000}?\soffice:value\s*=)[^<>]{0,10000}>"
)
_NUMBER_TYPED = (b'office:value-type="float"', b'office:value-type="percentage"')
_NUMBER_TYPED += (b'office:value-type="currency"',)
_VALUE_ATTR = b' office:value="'
# A cell hidden under a merge keeps whatever it held before the merge: LibreOffice shows
# nothing there, the reader read it (an amount of 999 no one sees was stored). Such a cell is
# written empty, keeping how many columns it spans.
_COVERED = b"<table:covered-table-cell"
_COVERED_START = re.compile(rb"<table:covered-table-cell\b([^<>]*)>")
_COVERED_END = b"</table:covered-table-cell>"
_EMPTY_COVERED = re.compile(
    rb'<table:covered-table-cell(?: table:number-columns-repeated="[0-9]{1,9}")?/>'
)
_REPEATED = re.compile(rb'table:number-columns-repeated\s*=\s*"([0-9]{1,9})"')
_TYPE = re.compile(rb"""(?:office|calcext):value-type\s{0,100}=\s{0,100}(?:"[^"]*"|'[^']*')""")
# A formula whose result is an error (#DIV/0!, #VALUE!, LibreOffice's Err:502): LibreOffice
# stores the number 0 beside the error it shows, and the reader read 0 (or an empty text),
# where an .xlsx's error cell rejects its row naming the error. Such a cell is read as the
# text it shows.
_ERROR = b'calcext:value-type="error"'
# The same without LibreOffice's mark (OpenOffice, older LibreOffice, other writers): a formula
# cell typed as a number whose shown text is an error's code and nothing else. No number shows
# so, whatever its format: that text is the sign the stored number is no result.
_SHOWN_ERROR = re.compile(
    rb"(<table:table-cell\b[^<>]{0,10000}>)(\s{0,100}<text:p>"
    rb"(?:#DIV/0!|#VALUE!|#REF!|#NAME\?|#NUM!|#NULL!|#N/A|Err:[0-9]{3})</text:p>)"
)
_FORMULA = b"table:formula="
_NUMBER_TYPES = (b'office:value-type="float"', b'office:value-type="percentage"')
_NUMBER_TYPES += (b'office:value-type="currency"',)
_STORED_VALUE = re.compile(
    rb"\s(?:office:(?:value|string-value|boolean-value|date-value|time-value)|office:value-type"
    rb')="[^"]*"'
)
# A run of spaces written as one element (<text:s text:c="3"/>): the reader writes each space
# out, so a 1 KB file asking for two billion claimed gigabytes. No cell holds more characters
# than Excel's 32,767, nor a file more spaces than the bound on text (max_text_chars).
_SPACES = re.compile(rb'text:c\s*=\s*"([0-9]{1,12})"')
MOST_SPACES = 32_767
_CHUNK = 1 << 20
_OVERLAP = 4096  # bytes kept between chunks: a value attribute across their border is seen


def breaks_as_spaces(data: bytes, file_name: str = "", most_text: int = 400_000_000) -> bytes:
    """The archive with each tab or line break in a cell written as a space, each number cell
    holding no number read as its text and each cell under a merge empty, when it has any;
    refused where its runs of spaces are more than cells hold."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if archive_kind(set(archive.namelist())) != "ods":
            return data
        breaks, numbers, covered, errors = _needs(archive, file_name, most_text)
        if not (breaks or numbers or covered or errors):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as copy:
            for member in archive.infolist():
                body = archive.read(member)
                if member.filename == _CONTENT:
                    body = _readable(body, breaks, numbers or errors, covered)
                copy.writestr(member, body, compress_type=member.compress_type)
        return out.getvalue()
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, zlib.error):
        return data  # the reader says what is wrong with it


def _readable(body: bytes, breaks: bool, numbers: bool, covered: bool) -> bytes:
    """content.xml with breaks as spaces, number cells holding no number and error cells as
    text cells, and cells under a merge empty."""
    if covered:
        body = _covered_emptied(body)
    if breaks:
        body = _BREAKS.sub(b"<text:s/>", body)
    if numbers:
        body = _SHOWN_ERROR.sub(_shown_error_as_text, body)
        body = _CELL.sub(_as_text, body)
    return body


def _shown_error_as_text(cell: re.Match[bytes]) -> bytes:
    """A formula's number cell showing an error's code, as a text cell showing it."""
    tag = cell.group(1)
    if _FORMULA not in tag or _ERROR in tag or not any(t in tag for t in _NUMBER_TYPES):
        return cell.group(0)
    return _error_as_text(tag) + cell.group(2)


def _covered_emptied(body: bytes) -> bytes:
    """Every covered cell written empty (its span of columns kept); one pass over the text."""
    out, pos = [], 0
    while (start := _COVERED_START.search(body, pos)) is not None:
        end = start.end()
        if not start.group(1).endswith(b"/"):
            close = body.find(_COVERED_END, end)
            if close < 0:
                break  # not well-formed: the reader says so
            end = close + len(_COVERED_END)
        repeated = _REPEATED.search(start.group(1))
        span = b' table:number-columns-repeated="' + repeated.group(1) + b'"' if repeated else b""
        out += [body[pos : start.start()], _COVERED + span + b"/>"]
        pos = end
    out.append(body[pos:])
    return b"".join(out)


def _as_text(cell: re.Match[bytes]) -> bytes:
    """A cell's start tag, a text cell when its number is no number (showing that value when
    the cell shows no text of its own)."""
    tag, end = cell.group(0), cell.group(1) or b""
    tag = tag[: len(tag) - len(end)]
    if _ERROR in tag:
        return _error_as_text(tag.replace(_ERROR, b'calcext:value-type="string"')) + end
    bad = _BAD_NUMBER.search(tag)
    if bad is None and not _VALUELESS.match(tag):
        return tag + end
    text = _TYPE.sub(b'office:value-type="string"', _BAD_NUMBER.sub(b"", tag))
    stored = b"" if bad is None else (bad.group(1) or bad.group(2) or b"").strip()
    if not stored or not text.startswith(b"<table:table-cell"):
        return text + end
    if text.endswith(b"/>"):  # an empty cell written in one tag
        return text[:-2].rstrip() + b">" + _SHOWN % stored + b"</table:table-cell>"
    return text + (_SHOWN % stored + end if end else b"")


def _error_as_text(tag: bytes) -> bytes:
    """An error cell's start tag as a text cell's, without the values stored beside it."""
    tag = _STORED_VALUE.sub(b"", tag)
    return tag.replace(b"<table:table-cell", b'<table:table-cell office:value-type="string"', 1)


def _needs(
    archive: zipfile.ZipFile, file_name: str = "", most_text: int = 400_000_000
) -> tuple[bool, bool, bool, bool]:
    """Whether the content part holds a tab or line-break element, a number that is none, a
    covered cell that is not empty and an error cell (read a chunk at a time)."""
    breaks = numbers = covered = errors = False
    tail = b""
    spaces = 0
    with archive.open(_CONTENT) as content:
        while chunk := content.read(_CHUNK):
            spaces += _spaces_in(tail[-_OVERLAP // 2 :], chunk, file_name)
            if spaces > most_text:
                _refuse_spaces(file_name, spaces, most_text, _("the file's cells"))
            window = tail + chunk
            breaks = breaks or any(needle in window for needle in _NEEDLES)
            numbers = numbers or _BAD_NUMBER.search(window) is not None or _valueless_in(window)
            covered = covered or (
                _COVERED in window and window.count(_COVERED) != len(_EMPTY_COVERED.findall(window))
            )
            errors = errors or _ERROR in window or _shown_error_in(window)
            if breaks and numbers and covered and errors:
                break
            tail = window[-_OVERLAP:]
    return breaks, numbers, covered, errors


def _valueless_in(window: bytes) -> bool:
    """True when a number cell in the window stores no number (_VALUELESS)."""
    # Counts first (memory speed): every number cell a spreadsheet writes stores its number.
    # From the first cell's start: a cell cut at the window's start would count its number
    # without its type; one cut at the end counts its type alone and is looked at closely.
    window = window[max(window.find(b"<table:table-cell"), 0) :]
    typed = sum(window.count(kind) for kind in _NUMBER_TYPED)
    if typed == window.count(_VALUE_ATTR):
        return False
    return _VALUELESS.search(window) is not None


def _spaces_in(before: bytes, chunk: bytes, file_name: str) -> int:
    """The spaces the chunk's runs write out (a run cut at its start counted here, whole);
    refused where one run is more than a cell holds."""
    if b"text:c" not in before + chunk:
        return 0
    total = 0
    for run in _SPACES.finditer(before + chunk):
        if run.end() <= len(before):
            continue  # counted with the chunk before
        count = int(run.group(1))
        if count > MOST_SPACES:
            _refuse_spaces(file_name, count, MOST_SPACES, _("a cell"))
        total += count
    return total


def _refuse_spaces(file_name: str, count: int, limit: int, where: str) -> None:
    raise ImportRefused(
        _(
            "{file}: the spreadsheet writes {count} spaces into {where} (text:s), more than "
            "{limit}; no spreadsheet saves that many, so the file is damaged or built to "
            "exhaust memory. Open it in LibreOffice, save it again and upload that file."
        ).format(
            file=named(file_name),
            count=fmt_number(count),
            where=where,
            limit=fmt_number(limit),
        )
    )


def _shown_error_in(window: bytes) -> bool:
    """True when a formula's number cell in the window shows an error's code (_SHOWN_ERROR)."""
    # The codes' first bytes first (memory speed): most sheets show none.
    if b">#" not in window and b">Err:" not in window:
        return False
    return any(
        _shown_error_as_text(cell) != cell.group(0) for cell in _SHOWN_ERROR.finditer(window)
    )


# A cell merged down over rows: LibreOffice writes how many rows it spans on the cell itself.
_SPANNED_DOWN = re.compile(rb'table:number-rows-spanned="0*(?:[2-9]|[1-9][0-9]{1,8})"')
# The tags that place a cell: a sheet, a row and a cell (covered or not).
_PLACES = re.compile(rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^<>]*)>")
_NAME = re.compile(rb'table:name="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated\s*=\s*"([0-9]{1,9})"')
_ROWS_SPANNED = re.compile(rb'table:number-rows-spanned\s*=\s*"([0-9]{1,9})"')
_COLUMNS_SPANNED = re.compile(rb'table:number-columns-spanned\s*=\s*"([0-9]{1,9})"')
_LEADING_DIGITS = re.compile(rb'number:min-integer-digits="0*(?:[2-9]|[1-9][0-9])"')


# A number style showing whole numbers with leading zeros (LibreOffice's 000000), and the cell
# styles that use one: the reader gives such a cell's number (123), the sheet shows 000123.
_NUMBER_STYLE = re.compile(rb'<number:number-style\b[^<>]*style:name="([^"]{1,200})"[^<>]*>')
_NUMBER_STYLE_END = b"</number:number-style>"
_PADDED_NUMBER = re.compile(rb"<number:number\b([^<>]*)/?>")
_MIN_DIGITS = re.compile(rb'number:min-integer-digits="([0-9]{1,2})"')
_DECIMALS = re.compile(rb'number:decimal-places="([0-9]{1,2})"')
_STYLE_TEXT = re.compile(rb"<number:text>([^<]{0,100})</number:text>")
_CELL_STYLE = re.compile(rb"<style:style\b([^<>]*)>")
_STYLE_NAME = re.compile(rb'style:name="([^"]{1,200})"')
_DATA_STYLE = re.compile(rb'style:data-style-name="([^"]{1,200})"')
_CELL_STYLE_NAME = re.compile(rb'table:style-name="([^"]{1,200})"')
_FLOAT = re.compile(rb'office:value-type="float"')


def ods_facts(data: bytes, most: int) -> FormatFacts:
    """The merges down and the code columns of an OpenDocument spreadsheet (none for another
    file, or one without either).

    Read as the workbook scan reads an .xlsx's merges (from 0, at most `most` per sheet), so
    the parse fills them down and pads the codes the same way.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive_kind(set(archive.namelist())) != "ods" or not _worth_a_walk(archive):
                return FormatFacts()
            body = archive.read(_CONTENT)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, zlib.error):
        return FormatFacts()  # the reader says what is wrong with it
    padded = _padded_styles(body)
    facts = FormatFacts()
    merges: list[tuple[int, int, int]] = []
    codes = CodeColumns()
    sheet = ""
    row = col = here = 0

    def close() -> None:
        if merges:
            facts.merges[sheet] = merges
        if codes.cells:
            facts.padded[sheet] = codes.columns()

    for tag in _PLACES.finditer(body):
        kind, attrs = tag.group(1), tag.group(2)
        if kind == b"table":
            close()
            name = _NAME.search(attrs)
            sheet = html.unescape(name.group(1).decode("utf-8", "replace")) if name else ""
            merges, codes = [], CodeColumns()
            row = col = here = 0
        elif kind == b"table-row":
            repeated = _ROWS_REPEATED.search(attrs)
            here, col = row, 0
            row += int(repeated.group(1)) if repeated else 1
        else:
            repeated = _REPEATED.search(attrs)
            down = _ROWS_SPANNED.search(attrs) if kind == b"table-cell" else None
            across = _COLUMNS_SPANNED.search(attrs)
            if (
                down
                and int(down.group(1)) > 1
                and (across is None or int(across.group(1)) <= 1)
                and len(merges) < most
            ):
                merges.append((col, here, here + int(down.group(1)) - 1))
            if padded and not codes.full and kind == b"table-cell" and _FLOAT.search(attrs):
                style = _CELL_STYLE_NAME.search(attrs)
                shown = padded.get(style.group(1)) if style else None
                if shown is not None:
                    codes.add(column_letter(col), here, shown)
            col += int(repeated.group(1)) if repeated else 1
    close()
    return facts


def _padded_styles(body: bytes) -> dict[bytes, Shown]:
    """Cell style name -> (prefix, width, suffix) of the styles showing padded whole numbers."""
    numbers: dict[bytes, Shown] = {}
    for start in _NUMBER_STYLE.finditer(body):
        end = body.find(_NUMBER_STYLE_END, start.end())
        inner = body[start.end() : end if end >= 0 else start.end()]
        number = _PADDED_NUMBER.search(inner)
        digits = _MIN_DIGITS.search(number.group(1)) if number else None
        decimals = _DECIMALS.search(number.group(1)) if number else None
        if digits is None or int(digits.group(1)) < 2 or (decimals and decimals.group(1) != b"0"):
            continue
        if b"grouping" in number.group(1):
            continue  # 1,234 shows separators: no code
        before = _STYLE_TEXT.search(inner, 0, number.start())
        after = _STYLE_TEXT.search(inner, number.end())
        prefix, suffix = (
            html.unescape(m.group(1).decode("utf-8", "replace")) if m else ""
            for m in (before, after)
        )
        if code_affixes(prefix, suffix):
            numbers[start.group(1)] = (prefix, int(digits.group(1)), suffix)
    if not numbers:
        return {}
    out = {}
    for style in _CELL_STYLE.finditer(body):
        name, data_style = _STYLE_NAME.search(style.group(1)), _DATA_STYLE.search(style.group(1))
        if name and data_style and data_style.group(1) in numbers:
            out[name.group(1)] = numbers[data_style.group(1)]
    return out


def _worth_a_walk(archive: zipfile.ZipFile) -> bool:
    """True when the content part has a cell merged down over rows or a number style with
    leading digits (read a chunk at a time)."""
    tail = b""
    with archive.open(_CONTENT) as content:
        while chunk := content.read(_CHUNK):
            window = tail + chunk
            if _SPANNED_DOWN.search(window) or _LEADING_DIGITS.search(window):
                return True
            tail = window[-_OVERLAP:]
    return False
