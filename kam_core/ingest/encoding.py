"""The text encoding of a delimited file, and its bytes as UTF-8 with the invalid ones found.

UTF-8 unless the bytes say otherwise: a byte-order mark, UTF-16 without one, an East Asian code
page (Shift-JIS, GB18030, Korean, Big5) whose pairs of bytes are its common characters, or a
legacy code page (Windows-1252, -1250, -1255, -1251, -1256, DOS 866, 850 and 437, Mac Roman,
KOI8-R) told apart by the letters it yields. A file that is UTF-8 but
for a few bytes stays UTF-8, and the lines holding those bytes are reported.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

import numpy as np
import pyarrow as pa

from kam_core.ingest.guard import Bytes, wide_encoding

_bad: list[int] = []


def _mark(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: remember where an invalid byte is, put U+FFFD in its place."""
    _bad.append(exc.start)
    return "\ufffd", exc.end


codecs.register_error("kam-mark", _mark)


def _valid_utf8(data: Bytes) -> bool:
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


def is_utf8(data: Bytes) -> bool:
    """True when the bytes are valid UTF-8."""
    return _valid_utf8(data)


class _TooMany(Exception):
    """More invalid bytes than a file that is UTF-8 but for a few can hold."""


_most_bad = [0]


def _mark_few(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: as kam-mark, stopping the decoding past _most_bad of them."""
    _bad.append(exc.start)
    if len(_bad) > _most_bad[0]:
        raise _TooMany
    return "\ufffd", exc.end


codecs.register_error("kam-mark-few", _mark_few)


def _mostly_utf8(data: Bytes) -> list[int] | None:
    """Positions of invalid bytes when the file is UTF-8 but for a few of them, else None."""
    high = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80))
    # Legacy code pages make nearly every high byte invalid; UTF-8 text with a few stray
    # bytes has many valid multi-byte letters for each invalid one. Past a fifth of the high
    # bytes the file is no such text: the decoding stops there (a Korean file of 27 MB made
    # a call a byte, 10 s).
    _bad.clear()
    # The first 256 KB first: where half its high bytes are invalid or more, the file is
    # written in a code page (a Korean file of 27 MB still made 1.6 million calls).
    head = bytes(data[:262_144])
    head_high = int(np.count_nonzero(np.frombuffer(head, dtype=np.uint8) >= 0x80))
    _most_bad[0] = head_high // 2
    if len(head) < len(data) and head_high >= 1_000:
        try:
            str(head, "utf-8", "kam-mark-few")
        except _TooMany:
            _bad.clear()
            return None
    _bad.clear()
    _most_bad[0] = high // 5
    try:
        str(data, "utf-8", "kam-mark-few")
    except _TooMany:
        _bad.clear()
        return None
    bad = list(_bad)
    _bad.clear()
    return bad if high - len(bad) >= 4 * len(bad) and high > len(bad) else None


# A UTF-8 character's bytes, the lead's count of continuation bytes right, the value maybe not:
# an overlong form (C0 AF for '/'), a surrogate (ED A0 80), a code past U+10FFFF.
_CHAR = rb"[\xc0-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf7][\x80-\xbf]{3}"
_UTF8_SHAPED = re.compile(rb"(?:%s)+" % _CHAR)
# The start of such a character, the file ending before its last byte.
_UTF8_CUT = re.compile(
    rb"(?:%s)*(?:[\xc0-\xf7]|[\xe0-\xf7][\x80-\xbf]|[\xf0-\xf7][\x80-\xbf]{2})" % _CHAR
)
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def _utf8_damaged(data: Bytes) -> bool:
    """True when every non-ASCII byte stands in a UTF-8 character, some of them invalid
    (overlong, a surrogate, past U+10FFFF, cut short at the end of the file).

    A UTF-8 writer leaves such damage in ASCII text; a code page's letters never line up so
    (a lead byte followed by exactly its count of continuation bytes, every time). A stray byte
    alone ('Caf\\xe9') is a code page's letter and stays so.
    """
    damaged = False
    # A code page's text fails at its first word: the loop ends there.
    for run in _HIGH_RUN.finditer(data):
        chars = run.group()
        try:
            chars.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        if _UTF8_SHAPED.fullmatch(chars) or (
            _at_end(data, run.end()) and _UTF8_CUT.fullmatch(chars)
        ):
            damaged = True
            continue
        return False
    return damaged


def _at_end(data: Bytes, at: int) -> bool:
    """True when nothing but a line break follows offset at."""
    return len(data) - at <= 2 and not bytes(data[at:]).strip()


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; return (text, encoding): UTF-8, UTF-16 or a Windows code page."""
    encoding = detect_encoding(data)
    start = 3 if encoding == "utf-8-sig" else 0
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    return data[start:].decode(codec, errors="replace"), encoding


def detect_encoding(data: Bytes) -> str:
    """The encoding a CSV file is written in (UTF-8 unless the bytes say otherwise)."""
    if data[:3] == b"\xef\xbb\xbf":
        return "utf-8-sig"
    wide = wide_encoding(data[:4096])  # UTF-16 or UTF-32, with a byte-order mark or without
    if wide:
        return wide
    if _valid_utf8(data) or _mostly_utf8(data) is not None or _utf8_damaged(data):
        return "utf-8"
    east_asian = _east_asian(data)
    sample = _around_high_bytes(data)
    if east_asian:
        # Western words in DOS's or the Mac's page pair up as Shift-JIS's kanji ('G\x94teborg'):
        # accents standing alone inside Latin words (_latin_accents) are such words.
        return _western_dos_or_mac(sample) or east_asian
    if _dos_cyrillic(sample):
        return "cp866"
    western = _western_dos_or_mac(sample)
    if western:
        return western
    if _latin_words(sample):
        return "cp1250" if _central_european(sample) else "cp1252"
    if _signs_only(sample):
        return "cp1252"
    if _arabic(sample):
        return "cp1256"
    if _koi8_case(sample) or _russian(sample):
        return "koi8_r" if _koi8(sample) else "cp1251"
    if _finals_inside_words(sample):  # Russian in one case: KOI8-R's capitals, 1251's lower
        koi8, windows = (_russian_score(sample.decode(c, "replace"), 1) for c in _CYRILLIC)
        return "koi8_r" if koi8 > windows else "cp1251"
    return "cp1255"


# Windows' East Asian code pages (each a superset of the standard one: Shift-JIS, GBK, EUC-KR,
# Big5), and per page its common characters: those of the first level of the national
# standard, where a company's name is written.
_EAST_ASIAN = ("cp932", "gb18030", "cp949", "cp950")


def _common_east_asian(char: str, codec: str) -> bool:
    """True for a character common in text written in codec (read from those bytes)."""
    code = char.encode(codec)
    if len(code) != 2:
        return False
    lead, trail = code
    if codec == "cp932":  # punctuation, kana, NEC's signs (①, ㈱), level-1 kanji
        return 0x81 <= lead <= 0x83 or 0x87 <= lead <= 0x98
    if codec == "gb18030":  # GB2312: punctuation and level-1 hanzi
        return trail >= 0xA1 and (0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xD7)
    if codec == "cp949":  # the 2,350 Hangul syllables of KS X 1001
        return trail >= 0xA1 and 0xB0 <= lead <= 0xC8
    return lead == 0xA1 or 0xA4 <= lead <= 0xC6  # Big5: punctuation, common hanzi


def _half_width_kana(high: np.ndarray) -> bool:
    """True when the single bytes of half-width katakana (0xA1-0xDF: 'ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ', as
    Japanese banks and older systems write names) read as Japanese: a third of them or more
    are the kana of 0xA6-0xBF (ｦ-ｿ, ｰ), and the voicing mark ﾞ or the long vowel ｰ is
    frequent. Russian capitals in Windows-1251 fill 0xC0-0xDF (ﾀ-ﾟ), with «» and № besides."""
    kana = high[(high >= 0xA1) & (high <= 0xDF)]
    if len(kana) < 3:
        return False
    # (« » № of Windows-1251 are ｫ ｻ ｹ there: not counted.)
    low = int(np.count_nonzero((kana <= 0xBF) & (kana != 0xAB) & (kana != 0xBB) & (kana != 0xB9)))
    marks = int(np.count_nonzero((kana == 0xDE) | (kana == 0xB0)))
    return low * 3 >= len(kana) and marks * 10 >= len(kana)


_YO = np.array([0xA8, 0xB8, 0xA3, 0xB3], dtype=np.uint8)  # Ё ё in Windows-1251 and KOI8-R


def _east_asian(data: Bytes) -> str | None:
    """The East Asian code page of a file that reads as one, else None.

    Its non-ASCII bytes must make whole characters in the code page, but for one in 200
    (a single-byte page's letters, spaces between words, break the pairs), and nine in ten
    of them common ones there: Hebrew or Russian bytes that happen to pair make rare
    characters. Korean text makes common Chinese too, and short text may pass several: the
    characters' frequencies in each language decide then (charset_normalizer).
    """
    head = bytes(data[:200_000])
    if len(data) > len(head):
        head = head[: head.rfind(b"\n") + 1]  # no character cut in two at the end
    high = np.frombuffer(head, dtype=np.uint8)
    high = high[high >= 0x80]
    if len(high) < 2_000 and len(data) > len(head):
        # An export whose first 200 KB are ASCII (codes, Latin names) and its Chinese names
        # later was read as Windows-1251: the lines holding the file's first such bytes tell.
        head = _lines_around_high_bytes(data)
        high = np.frombuffer(head, dtype=np.uint8)
        high = high[high >= 0x80]
    if np.all((high >= 0xC0) & (high <= 0xDF) | np.isin(high, _YO)):
        # Russian capitals in Windows-1251 (ГАЗПРОМ) or lower case in KOI8-R, pairs of which
        # are common Chinese or Korean: these pages' text has bytes all over 0xA1-0xFE.
        return None
    passed: dict[str, float] = {}
    for codec in _EAST_ASIAN:
        text = head.decode(codec, "replace")
        wide = Counter(c for c in text if c >= "\x80")
        bad = wide.pop("\ufffd", 0)
        total = sum(wide.values())
        # A byte in 200 that makes no character (a name cut short) rejects its row.
        if total < 3 or bad > total // 200:
            continue
        common = sum(n for c, n in wide.items() if _common_east_asian(c, codec))
        if codec == "cp932" and _half_width_kana(high):
            common += sum(n for c, n in wide.items() if "\uff61" <= c <= "\uff9f")
        if common >= 0.9 * total:
            passed[codec] = common / total
    if len(passed) <= 1:
        return next(iter(passed), None)
    from charset_normalizer import from_bytes  # only for East Asian text

    best = from_bytes(head, cp_isolation=list(passed)).best()
    return best.encoding if best is not None else max(passed, key=passed.__getitem__)


def _dos_cyrillic(sample: bytes) -> bool:
    """True for Russian in DOS's code page 866 (old 1C, DOS programs).

    Its letters lie in 0x80-0xAF (capitals, and а-п) and 0xE0-0xF1 (р-я, ё), where the Windows
    code pages have punctuation, signs and the upper half of their letters; 0xB0-0xDF draw
    boxes. Words of such bytes side by side, most in 0x80-0xAF, are none of the others'.
    """
    # Runs of three high bytes or more: a Western word has one accented letter at a time, and
    # its quotes (“Café”) put at most two side by side.
    words = np.frombuffer(b"".join(re.findall(rb"[\x80-\xff]{3,}", sample)), dtype=np.uint8)
    if len(words) < 4:
        return False
    dos = int(np.count_nonzero(words <= 0xAF))
    boxes = int(np.count_nonzero((words >= 0xB0) & (words <= 0xDF))) + int(
        np.count_nonzero(words >= 0xF2)
    )
    return dos * 3 >= len(words) and boxes * 20 <= len(words)


def _case_words(sample: bytes) -> tuple[int, int]:
    """Words written capital then lower case as KOI8-R has them (capitals in 0xE0-0xFF, lower
    case in 0xC0-0xDF), and as Windows-1251 has them (the reverse)."""
    koi8 = len(re.findall(rb"(?<![\xc0-\xff])[\xe0-\xff][\xc0-\xdf]{2,}", sample))
    windows = len(re.findall(rb"(?<![\xc0-\xff])[\xc0-\xdf][\xe0-\xff]{2,}", sample))
    return koi8, windows


def _koi8_case(sample: bytes) -> bool:
    """True when more words read as KOI8-R's capital then lower case than as Windows-1251's."""
    koi8, windows = _case_words(sample)
    return koi8 > windows


# How often each letter occurs in Russian text, per thousand letters: a text read in the wrong
# Cyrillic code page scrambles them into rare ones.
_PER_THOUSAND = (
    110, 85, 80, 74, 67, 63, 55, 47, 45, 44, 35, 32, 30, 28, 26, 20, 19, 17, 17, 17, 16, 14, 12,
    10, 9, 7, 6, 5, 4, 3, 3, 1, 2,
)  # fmt: skip
_RUSSIAN_LETTERS = dict(zip("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё", _PER_THOUSAND, strict=True))
_SCORED_LETTERS = 20  # fewer tell nothing by their frequencies


def _russian_score(text: str, fewest: int = _SCORED_LETTERS) -> float:
    """The mean log frequency of the Cyrillic letters of text (how much it reads as Russian)."""
    letters = [c for c in text.lower() if "а" <= c <= "я" or c == "ё"]
    if len(letters) < max(fewest, 1):
        return float("-inf")
    return sum(np.log(_RUSSIAN_LETTERS.get(c, 1)) for c in letters) / len(letters)


def _koi8(sample: bytes) -> bool:
    """True when Russian text reads as KOI8-R rather than Windows-1251: by the case of its
    words where they tell, else by its letters' frequencies (a text in one case)."""
    koi8, windows = _case_words(sample)
    if koi8 != windows:
        return koi8 > windows
    # A clear margin, and letters enough: a few Windows-1251 names in capitals stay so.
    text = bytes(sample[:20_000])  # letters enough; the frequencies are counted one by one
    koi8_score = _russian_score(text.decode("koi8_r", "replace"))
    return koi8_score > 0.5 + _russian_score(text.decode("cp1251", "replace"))


_CYRILLIC = ("koi8_r", "cp1251")
# Hebrew's final letters ך ם ן ף ץ end words; in KOI8-R these bytes are the capitals Й М О С
# У and in Windows-1251 the letters к н п у х, which stand anywhere in a word.
_FINALS_INSIDE = re.compile(rb"[\xea\xed\xef\xf3\xf5](?=[\xe0-\xff])")
_FINALS = re.compile(rb"[\xea\xed\xef\xf3\xf5]")


def _finals_inside_words(sample: bytes) -> bool:
    """True when the bytes of Hebrew's final letters stand inside words, most of them: Russian
    written in one case (ООО РОМАШКА in KOI8-R, ромашка in Windows-1251), never Hebrew."""
    inside = len(_FINALS_INSIDE.findall(sample))
    return inside >= 2 and inside * 2 > len(_FINALS.findall(sample))


def _letters_only(first: str, second: str) -> np.ndarray:
    """Per byte: a letter in the code page first and no letter in second."""
    out = np.zeros(256, dtype=bool)
    for byte in range(0x80, 0x100):
        one = bytes([byte]).decode(first, "replace")
        other = bytes([byte]).decode(second, "replace")
        out[byte] = one.isalpha() and not other.isalpha()
    return out


# Letters of Windows-1250 (Polish, Czech, Slovak, Hungarian) that Windows-1252 writes as signs
# or not at all: Ł ł Ą ą Ś ś Ź ź Ż ż Ľ ľ Ť ť Ő ő Ű ű.
_CENTRAL = _letters_only("cp1250", "cp1252")
# Czech letters Windows-1252 writes as other accented ones: č ě ň ř ů ď and Č Ě Ř, beside an
# accented vowel (ř in 'Dvořák', ě in 'Děčín'): Western words have one accent at a time.
_CZECH = np.zeros(256, dtype=bool)
_CZECH[[0xE8, 0xEC, 0xF2, 0xF8, 0xF9, 0xEF, 0xC8, 0xCC, 0xD8]] = True
_ACCENTED_VOWEL = np.zeros(256, dtype=bool)
_ACCENTED_VOWEL[[0xE1, 0xE9, 0xED, 0xFD, 0xFA, 0xEC, 0xF9]] = True


def _central_european(sample: bytes) -> bool:
    """True for Latin text in Windows-1250 rather than -1252: letters of its own inside words
    ('Łódź', 'Spółka' read as '£ódŸ', 'Spó³ka'), or Czech letters beside accented vowels."""
    b = np.frombuffer(sample, dtype=np.uint8)
    if len(b) < 2:
        return False
    letter = _ASCII_LETTER[b] | (b >= 0xC0)
    before = np.concatenate(([False], letter[:-1]))
    after = np.concatenate((letter[1:], [False]))
    # ż (0xBF) is Spanish's ¿ in Windows-1252, which opens a word: only inside one.
    central = _CENTRAL[b] & ((before & after) | ((before | after) & (b != 0xBF)))
    czech = (_CZECH[b[:-1]] & _ACCENTED_VOWEL[b[1:]]) | (_ACCENTED_VOWEL[b[:-1]] & _CZECH[b[1:]])
    return bool(central.any() or czech.any() or _CZECH_SPELLING.search(sample) or _polish(sample))


# Czech spellings whose bytes Windows-1252 reads as letters no Western word has there: Č
# opening a word before a vowel ('Černý' as 'Èerný'; French 'Ève', 'Èze' have a consonant),
# ě or ů inside one ('Světlo', 'Růžička'; Italian writes ì and ù at a word's end), č before k
# ('Nováček', 'Kočka'), ň ending a word after a, e or o or before k ('Plzeň' as 'Plzeò',
# 'Kuňka'; Italian's ò ends words after a consonant or u: 'però', 'può').
_CZECH_SPELLING = re.compile(
    rb"(?<![A-Za-z\xc0-\xff])\xc8[aeiouy]|[A-Za-z][\xec\xf9][a-z\x9a\x9e\xe1-\xfd]|\xe8k"
    rb"|[aeo]\xf2(?![A-Za-z\x80-\xff])|[A-Za-z]\xf2k"
)


# Polish letters Windows-1252 writes as others it has: ń as ñ, which Spanish writes only
# before a vowel and Polish never ('Gdańsk', 'Poznań' as 'Gdañsk', 'Poznañ'); ś as œ before
# a consonant ('Kościuszko', 'Świdnica'; French writes œu, œi); ę as ê in a word spelt with cz,
# sz, rz, dz or w, which no French or Portuguese word is ('Częstochowa', 'Jędrzejów').
_POLISH_N = re.compile(
    rb"[A-Za-z][\xf1\xd1](?:[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z]|(?![A-Za-z\xc0-\xff]))"
)
_SPANISH_N = re.compile(rb"[\xf1\xd1][aeiouyAEIOUY\xe1\xe9\xed\xf3\xfa\xc1\xc9\xcd\xd3\xda]")
_POLISH_S = re.compile(rb"[A-Za-z]\x9c[bcdfghjklmnprstwz]|\x8cw")
# ę after i but before no n ('Mięso'; Portuguese writes 'ciência'), or before b, d, g or k
# ('Dębica', 'Będzin'), as no French or Portuguese word has ê.
_POLISH_E = re.compile(rb"i\xea(?!n)|\xea[bdgk]")
_POLISH_WORD = re.compile(rb"[A-Za-z\x80-\xff]*[\xea\xca][A-Za-z\x80-\xff]*")
_POLISH_CLUSTER = re.compile(rb"[cdrsCDRS][zZ]|[wW]")


def _polish(sample: bytes) -> bool:
    """True for Polish whose only accents are letters Windows-1252 also has, read there as
    others ('Gdañsk', 'Czêstochowa', 'Koœciuszko'): more Polish spellings than Spanish ñ."""
    found = len(_POLISH_N.findall(sample)) + len(_POLISH_S.findall(sample))
    found += len(_POLISH_E.findall(sample))
    if b"\xea" in sample or b"\xca" in sample:
        found += sum(1 for w in _POLISH_WORD.findall(sample) if _POLISH_CLUSTER.search(w))
    return found > len(_SPANISH_N.findall(sample))


# Bytes every Windows page writes as the same signs (quotes, dashes, the ellipsis, €, ©, °):
# no letter of any script. 0xA4 is left out: it is Windows-1255's ₪ (¤ in -1252, which no
# data holds), so a Hebrew export of amounts in shekels without a Hebrew letter stays Hebrew.
_SIGNS = np.zeros(256, dtype=bool)
_SIGNS[
    [
        byte
        for byte, sign in enumerate(bytes(range(256)).decode("cp1252", "replace"))
        if 0x80 <= byte < 0xC0 and sign != "\ufffd" and not sign.isalpha() and byte != 0xA4
    ]
] = True


def _signs_only(sample: bytes) -> bool:
    """True when every non-ASCII byte is a sign the Windows pages share (“the best” – …): no
    letter proves Hebrew or another script, and Excel on a Western machine writes such a file
    in Windows-1252 (it was read as -1255: the same signs, named Hebrew)."""
    b = np.frombuffer(sample, dtype=np.uint8)
    high = b[b >= 0x80]
    return len(high) > 0 and bool(_SIGNS[high].all())


def _arabic(sample: bytes) -> bool:
    """True when the high bytes read as Arabic (Windows-1256) rather than Hebrew or Russian.

    Half of Arabic text's letter bytes lie in 0xC1-0xDF, where Windows-1255 has only vowel
    points or nothing and Windows-1251 its capitals, which start words; alef (0xC7) and lam
    (0xE1) are each about a tenth of them and meet as the article (al-), where they are
    Russian's З and б ('ЗАО', 'руб'), which never meet.
    """
    b = np.frombuffer(sample, dtype=np.uint8)
    letters = int(np.count_nonzero(b >= 0xC1))
    if letters < 3:
        return False
    low = int(np.count_nonzero((b >= 0xC1) & (b <= 0xDF)))
    alef = int(np.count_nonzero(b == 0xC7))
    lam = int(np.count_nonzero(b == 0xE1))
    # The article al- (alef then lam) runs through Arabic text; Russian never writes Зб.
    article = bytes(sample).count(b"\xc7\xe1")
    return low * 10 >= letters * 3 and (alef + lam) * 10 >= letters and article > 0


# Capitals of Windows-1251 that are no Hebrew letter, sign or mark in Windows-1255 (there vowel
# points, rare in data and never at the start of a word, or unassigned). Ф-Ш are Hebrew signs
# (geresh, gershayim, ligatures) in 1255 and tell nothing.
_CAPITALS = np.zeros(256, dtype=bool)
_CAPITALS[[*range(0xC0, 0xD4), *range(0xD9, 0xE0)]] = True
_OPENING_QUOTES = np.array([0xAB, 0x84, 0x93], dtype=np.uint8)  # « „ “ in 1251 (and 1255)
_ASCII_LETTER = np.zeros(256, dtype=bool)
_ASCII_LETTER[[*range(0x41, 0x5B), *range(0x61, 0x7B)]] = True


def _russian(sample: bytes) -> bool:
    """True when the high bytes read as Russian (Windows-1251) rather than Hebrew (-1255).

    Every Hebrew letter byte is a lower-case Cyrillic letter too, so Hebrew text ties. Russian
    words start with capitals (or are written in capitals), use ы ь я (unassigned in 1255), and
    и с far more than й ш щ ъ; Hebrew has no capitals. A file without a single capital is read
    as Hebrew: a few names heavy in ט and ס (טבע, אסם, שטראוס) read as Russian by their letters.
    """
    b = np.frombuffer(sample, dtype=np.uint8)
    if len(b) < 2:
        return False
    # A word starts after a space or sign, or after a quote of the code page ('«Ромашка»').
    opens = (b[:-1] < 0x80) & ~_ASCII_LETTER[b[:-1]] | np.isin(b[:-1], _OPENING_QUOTES)
    after = np.concatenate(([True], opens))
    lower_next = np.concatenate(((b[1:] >= 0xE0) | (b[1:] == 0xB8), [False]))  # ё too
    if (_CAPITALS[b] & after & lower_next).any():
        return True
    capitals = int(np.count_nonzero(((b >= 0xC0) & (b < 0xE0)) | (b == 0xA8)))
    letters = int(np.count_nonzero(b >= 0xE0))
    if capitals >= 2 and capitals > 3 * letters:  # written in capitals: ООО РОМАШКА
        return True
    only = int(np.count_nonzero((b == 0xFB) | (b == 0xFC) | (b == 0xFF)))
    if only >= 2 and only * 33 >= letters:  # ы ь я: at least 3% of the letters
        return True
    if not capitals:
        return False
    # Lower case alone: the letters' frequencies. и с make an eighth of Russian text and are
    # rare in Hebrew (ט ס); й ш щ ъ are rare in Russian and are Hebrew's common י ר ש ת.
    counts = np.bincount(b, minlength=256)
    russian = int(counts[[0xE8, 0xF1]].sum())
    hebrew = int(counts[[0xE9, 0xF8, 0xF9, 0xFA]].sum())
    return russian > hebrew


def _around_high_bytes(data: Bytes, most: int = 2_000, reach: int = 60) -> bytes:
    """The text around the file's first non-ASCII bytes, wherever they are, one piece a line."""
    # The first 200 KB alone told nothing of an English file whose one accented name sat on
    # row 299,990: it was read as Hebrew, 'Café' stored as 'Cafי'.
    head = bytes(data[:200_000])
    high = np.flatnonzero(np.frombuffer(head, dtype=np.uint8) >= 0x80)
    if len(high) >= most or len(data) <= len(head):
        return head
    found: list[int] = []
    step = 8 << 20  # a block at a time: a flag per byte of a 200 MB file is 200 MB
    for start in range(0, len(data), step):
        block = np.frombuffer(data[start : start + step], dtype=np.uint8)
        found.extend((np.flatnonzero(block >= 0x80)[: most - len(found)] + start).tolist())
        if len(found) >= most:
            break
    return b"\n".join(bytes(data[max(0, at - reach) : at + reach]) for at in found)


def _lines_around_high_bytes(data: Bytes, most: int = 2_000, reach: int = 200) -> bytes:
    """The text around the file's first non-ASCII bytes, wherever they are, each piece cut
    after a separator, space or line break: bytes below 0x30 are no part of a two-byte (or
    GB18030's four-byte) character, so no character is cut in two."""
    found: list[int] = []
    step = 8 << 20  # a block at a time, as _around_high_bytes
    for start in range(0, len(data), step):
        block = np.frombuffer(data[start : start + step], dtype=np.uint8)
        found.extend((np.flatnonzero(block >= 0x80)[: most - len(found)] + start).tolist())
        if len(found) >= most:
            break
    pieces: list[bytes] = []
    end = 0
    for at in found:
        if at < end:
            continue  # within the piece before
        window = bytes(data[max(end, at - reach) : at + reach])
        offset = max(end, at - reach)
        cut = _CUT.search(window)
        first = cut.end() if cut and offset > end and cut.end() <= at - offset else 0
        last = max((m.end() for m in _CUT.finditer(window)), default=len(window))
        if offset + last <= at:
            last = len(window)  # no cut after the byte within reach: the window's end
        pieces.append(window[first:last])
        end = offset + last
    return b"\n".join(pieces)


_CUT = re.compile(rb"[\x00-\x2f]")


def _latin_words(sample: bytes) -> bool:
    """True for Western text (Müller, café): accented letters inside Latin words.

    Read as Windows-1252, Hebrew and Russian text turn into words made only of accented
    letters; Western text has words mixing plain and accented letters.
    """
    words = re.findall(r"[^\W\d_]+", sample.decode("cp1252", errors="replace"))
    mixed = sum(1 for w in words if not w.isascii() and re.search(r"[A-Za-z]", w))
    # A word of one accented letter is Western too ("à", "é", "ö"), not Hebrew or Russian.
    foreign = sum(1 for w in words if len(w) > 1 and not re.search(r"[A-Za-z]", w))
    return mixed > foreign


# A letter of the code page's script written in UTF-8: two Hebrew letters (in Windows-1255 a
# geresh before a sign), an accented Latin letter (Ã© in Windows-1252), a Cyrillic one (Рё in
# Windows-1251), never text in the code page. A line holding one in such a file was written in
# UTF-8 (exports pasted together).
_UTF8_LETTERS = {
    "cp1255": re.compile(rb"(?:\xd7[\x90-\xaa]){2}"),
    "cp1252": re.compile(rb"[\xc2\xc3][\x80-\xbf]"),
    "cp1251": re.compile(rb"[\xd0\xd1][\x80-\xbf]"),
    "cp1256": re.compile(rb"(?:[\xd8\xd9][\x80-\xbf]){2}"),
    # Where those pages draw boxes or have signs: never their own text either.
    "cp866": re.compile(rb"[\xd0\xd1][\x80-\xbf]"),
    "koi8_r": re.compile(rb"[\xd0\xd1][\x80-\xbf]"),
    "cp1250": re.compile(rb"[\xc2\xc3][\x80-\xbf]"),
    # Boxes (DOS) or signs (Mac) before a letter there.
    "cp850": re.compile(rb"[\xc2\xc3][\x80-\xbf]"),
    "cp437": re.compile(rb"[\xc2\xc3][\x80-\xbf]"),
    "mac_roman": re.compile(rb"[\xc2\xc3][\x80-\xbf]"),
}
_SINGLE_BYTE = (
    *("cp1252", "cp1255", "cp1251", "cp1256", "cp866", "koi8_r", "cp1250"),
    *("cp850", "cp437", "mac_roman"),
)
# Code pages read like the single-byte ones: a line break is a line break in them.
_CODE_PAGES = (*_SINGLE_BYTE, *_EAST_ASIAN)


def to_utf8(data: Bytes, encoding: str) -> tuple[Bytes, list[int], list[int]]:
    """The file as UTF-8 bytes, the lines holding bytes that were not text, and the lines of a
    code-page file that were written in UTF-8 (each read in its own encoding)."""
    if encoding == "utf-8-sig":
        # The byte-order mark stays: the CSV reader skips it, and cutting it off would copy
        # the whole file (a mapped upload of 150 MB) for three bytes.
        encoding = "utf-8"
    if encoding not in ("utf-8", *_CODE_PAGES):
        # UTF-16 or -32: a unit that is no character (half a pair, a file cut short) is
        # marked, and its line reported, as an invalid byte of UTF-8 is.
        _bad.clear()
        text = str(data, encoding, "kam-mark")
        bad = list(_bad)
        _bad.clear()
        return text.encode("utf-8"), _wide_lines(data, encoding, bad), []
    if encoding == "utf-8" and unicode_line_ends(data):
        # Lines ended by NEL alone (U+0085, as text converted from a mainframe's EBCDIC has
        # them) or by U+2028/U+2029 (as some web exports write): read as line breaks; the
        # file was one line, a header without rows.
        data = bytes(data)
        for end in UNICODE_LINE_ENDS:
            data = data.replace(end, b"\n")
    if encoding == "utf-8" and _valid_utf8(data):
        return data, [], []
    other: list[int] = []
    letters = _UTF8_LETTERS.get(encoding)
    if letters is not None and letters.search(data):
        data, other = _utf8_lines_kept(bytes(data), encoding, letters)
    _bad.clear()
    text = str(data, encoding, "kam-mark")
    bad = list(_bad)
    _bad.clear()
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    lines = sorted({int(n) + 1 for n in np.searchsorted(newlines, bad)})
    return text.encode("utf-8"), lines, other


# Line breaks of Unicode a CSV reader does not split at, in UTF-8: NEL (U+0085), LINE
# SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029).
UNICODE_LINE_ENDS = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


def unicode_line_ends(data: Bytes) -> list[str]:
    """The Unicode line breaks ('U+0085', 'U+2028', 'U+2029') that end the file's lines,
    when it holds no other line break; else none."""
    if data.find(b"\n") >= 0 or data.find(b"\r") >= 0:
        return []
    return [f"U+{ord(end.decode()):04X}" for end in UNICODE_LINE_ENDS if data.find(end) >= 0]


def nel_lines(data: Bytes) -> bool:
    """True when the file's lines end in NEL (U+0085) and in no other line break."""
    return "U+0085" in unicode_line_ends(data)


def _utf8_lines_kept(
    data: bytes, encoding: str, letters: re.Pattern[bytes]
) -> tuple[bytes, list[int]]:
    """A code-page file whose UTF-8 lines are re-encoded in the code page, and their numbers."""
    out, lines = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if letters.search(line):
            try:
                line = line.decode("utf-8").encode(encoding)
                lines.append(number)
            except UnicodeError:  # not UTF-8 after all, or text 1255 cannot hold: as it is
                pass
        out.append(line)
    return b"\n".join(out), lines


def _wide_lines(data: Bytes, encoding: str, bad: list[int]) -> list[int]:
    """The line numbers of the byte offsets bad in UTF-16 or UTF-32 text."""
    if not bad:
        return []
    size = 4 if "32" in encoding else 2
    if encoding.endswith(("-le", "-be")):
        little = encoding.endswith("-le")
    else:  # the byte-order mark tells
        little = bytes(data[:2]) == b"\xff\xfe"
    units = np.frombuffer(
        memoryview(data)[: len(data) // size * size], dtype=f"{'<' if little else '>'}u{size}"
    )
    newlines = np.flatnonzero(units == 10)
    at = np.asarray(bad, dtype=np.int64) // size
    return sorted({int(n) + 1 for n in np.searchsorted(newlines, at)})


# Letters of Western and Central European text: those Windows-1252 and -1250 write (ƒ ª º µ
# are signs in data, ˆ a circumflex standing alone). A reading that puts anything else inside a
# word is the wrong one.
_EUROPEAN = frozenset(
    c
    for codec in ("cp1252", "cp1250")
    for c in bytes(range(0x80, 0x100)).decode(codec, "replace")
    if c.isalpha() and c not in "ƒªºµˆ"
)
# The accented letters most often written in French, German, Spanish, Portuguese, Italian,
# the Nordic languages, Polish and Czech: a reading making them scores over one making rare ones.
_COMMON = frozenset("éèàüöäßñçáóíúøåãõêąęłńśżčěřšžůý")
# Signs of Windows-1252 that stand beside a word: opening quotes before it, closing ones,
# marks and dashes after it, an apostrophe or a dash inside it (O’Brien, Col·legi).
_OPENING = frozenset("‚„‘“‹«–—¿¡")
_CLOSING = frozenset("’”…›»‘“™®©°–—´")
_INSIDE = frozenset("’–—·´")
# Western code pages of DOS (Excel's 'Text (MS-DOS)') and of the Mac ('CSV (Macintosh)'),
# against the Windows ones they are told from.
_WESTERN = ("cp850", "mac_roman")
_WINDOWS_LATIN = ("cp1252", "cp1250")
# Bytes that are letters in DOS 850 and draw boxes or write Greek in 437 (the US one).
_BOXES_437 = frozenset([0x9B, 0x9D, 0x9E, *range(0xB5, 0xB8), 0xC6, 0xC7, *range(0xD0, 0xD9)])
_BOXES_437 |= frozenset([0xDE, 0xE0, *range(0xE2, 0xEE)])
_BOXES_437_ARRAY = np.array(sorted(_BOXES_437), dtype=np.uint8)


_BESIDE_LATIN = re.compile(rb"(?<=[A-Za-z])[\x80-\xff]|[\x80-\xff](?=[A-Za-z])")


def _reading_score(sample: bytes, codec: str) -> tuple[float, int, int]:
    """How well the high bytes beside Latin letters read in codec: common accented letters
    found, readings no word has (a sign inside a word, a capital after a lower-case letter, a
    byte the page lacks), and how many such bytes there are."""
    table = bytes(range(256)).decode(codec, "replace")
    common, bad, seen = 0.0, 0, 0
    for match in _BESIDE_LATIN.finditer(sample):
        at = match.start()
        seen += 1
        char = table[sample[at]]
        before = sample[at - 1 : at]
        after = sample[at + 1 : at + 2]
        letter_before, letter_after = before.isalpha(), after.isalpha()
        if char in _EUROPEAN:
            # A capital after a lower-case letter, or inside a word before one (MŸller).
            wrong_case = (
                char.isupper() and (before.islower() or (letter_before and after.islower()))
            ) or (char.islower() and after.isupper())
            # ç and ñ stand before a vowel in every language writing them ('Garçon', 'Peña');
            # á follows no vowel where it is written (DOS's ß after a vowel: 'Straáe', 'Weiá');
            # a word of two letters or more has a vowel (Mac's ö as š: 'Kšln', 'Bjšrn').
            wrong = (
                wrong_case
                or (char in "çÇñÑ" and after.isalpha() and after not in b"aeiouyAEIOUY")
                or (char == "á" and before != b"" and before in b"aeiouAEIOU")
                or (char in _CONSONANTS and _no_vowel(sample, at, table))
                # š or ž between consonants ('Mšller', 'Sjšberg': Mac's ö again)
                or (char in _CONSONANTS and _consonant(before) and _consonant(after))
                # œ stands before u or i ('cœur', 'œil'), or d or t ('Œdipe', 'fœtus')
                or (char in "œŒ" and (not after or after not in b"uidtUIDT"))
                # Polish writes ś ź ć ń before no vowel (si, zi, ci, ni there)
                or (char in "śźćńŚŹĆŃ" and after != b"" and after in b"aeiouyAEIOUY")
            )
            bad += wrong
            if not wrong and char.lower() in _COMMON:
                # A capital opening a word ('Århus') weighs a little more: names are written so.
                common += 1.5 if char.isupper() and not letter_before else 1
            elif not wrong and char == "û":
                common += 0.5  # French only ('sûr', 'Brûlée'): less than DOS's ñ as û ('Niûo')
        elif codec in _WINDOWS_LATIN and (
            (letter_before and letter_after and char in _INSIDE)
            or (letter_after and not letter_before and char in _OPENING)
            or (letter_before and not letter_after and char in _CLOSING and _opened(sample, at))
        ):
            continue  # a quote, a dash or an apostrophe where one stands
        else:
            bad += 1
    return common, bad, seen


# Accented consonants a word may read in a wrong page: in Windows-1252 and -1250 Mac's ö, ú
# and û read š, œ and ž (œ is a vowel, but 'Perœ' is no word either: it stands before u or i).
_CONSONANTS = frozenset("šžŠŽ")
_PLAIN_VOWELS = "aeiouyAEIOUY"
_VOWELS = frozenset(_PLAIN_VOWELS + "æøœÆØŒ") | frozenset(
    c
    for c in _EUROPEAN
    if unicodedata.decomposition(c)[:4] in {f"{ord(v):04X}" for v in _PLAIN_VOWELS}
)


def _consonant(byte: bytes) -> bool:
    """True for one ASCII consonant letter."""
    return byte.isalpha() and byte not in b"aeiouyAEIOUY"


def _no_vowel(sample: bytes, at: int, table: str) -> bool:
    """True when the word around the byte at reads, in table's page, as two letters or more
    without a vowel."""
    start = at
    while start > 0 and table[sample[start - 1]].isalpha():
        start -= 1
    end = at + 1
    while end < len(sample) and table[sample[end]].isalpha():
        end += 1
    word = "".join(table[byte] for byte in sample[start:end])
    return len(word) > 1 and not any(c in _VOWELS for c in word)


# Closing quotes that need an opening one before them on their line: DOS's ö ends words where
# Windows-1252 has ” ('Malm”'); a quoted word opens with “, „ or, in Swedish, ” itself.
_CLOSE_QUOTE = 0x94
_OPEN_QUOTES = re.compile(rb"[\x93\x84]|(?<![A-Za-z\x80-\xff])\x94")


def _opened(sample: bytes, at: int) -> bool:
    """False for a closing quote (”) after a word with no opening quote before it on its line."""
    if sample[at] != _CLOSE_QUOTE:
        return True
    line = sample.rfind(b"\n", 0, at) + 1
    return _OPEN_QUOTES.search(sample, line, at) is not None


def _western_dos_or_mac(sample: bytes) -> str | None:
    """DOS 850 or 437, or Mac Roman, for Western text written in one, else None.

    Excel's 'Text (MS-DOS)' writes ü as 0x81, which Windows-1252 lacks, and é as 0x82, its
    low quote ('Caf‚'); 'CSV (Macintosh)' writes ü as 0x9F and é as 0x8E ('MŸller', 'CafŽ').
    The page whose reading puts common accented letters inside words, where Windows-1252
    reads signs or capitals, is the one; a tie stays with the Windows pages.
    """
    # 40 KB tell (the bytes are scored one by one in Python: every accent of a dense file's
    # 200 KB took 0.1 s).
    sample = sample[:40_000]
    b = np.frombuffer(sample, dtype=np.uint8)
    # Bytes outside 0xB0-0xDF, where DOS draws boxes: Hebrew, Russian or Arabic words are runs
    # of them with a Latin letter beside one now and then, Western words have them beside one.
    letters = int(np.count_nonzero((b >= 0x80) & ((b < 0xB0) | (b > 0xDF))))
    if not _latin_accents(sample):
        return None
    common, bad, seen = _reading_score(sample, "cp1252")
    if not bad or 2 * seen < letters:
        return None  # Windows-1252 reads every such byte as a letter or a sign in its place
    # The Windows page the file would be read in scores against the others: -1250's reading
    # of a Western file ('Perś' for Mac's 'Perú') was no rival, the file being read as -1252.
    if _central_european(sample):
        common, bad, _seen = _reading_score(sample, "cp1250")
    best = common - 2 * bad
    found = None
    for codec in _WESTERN:
        common, bad, _seen = _reading_score(sample, codec)
        if common - 2 * bad > best and 2 * common >= seen:
            best, found = common - 2 * bad, codec
    if found == "cp850" and _dos_boxes(sample):
        return "cp437"
    return found


def _latin_accents(sample: bytes) -> bool:
    """True when nearly every non-ASCII byte stands in a Latin word, one or two at a time
    among twice as many Latin letters ('Göteborg', 'Ibáñez'): East Asian text runs its
    characters' bytes together, a Latin letter at most between two of them. Runs of DOS's
    box-drawing bytes (0xB0-0xDF) alone are a report's rules, no word."""
    latin = total = 0
    for word in _WORD.findall(sample[:40_000]):
        high = sum(byte >= 0x80 for byte in word)
        if not high or (len(word) > 1 and _BOXES_ONLY.fullmatch(word)):
            continue
        total += high
        if len(word) == 1:  # a word of one accented letter: French 'à'
            latin += 1
        # A word turning to capitals mid-way ('\x8eR\x93cTrading': 山田 glued to 'Trading')
        # is no Western word.
        elif (
            len(word) - high >= 2 * high
            and not _THREE_HIGH.search(word)
            and not _CAMEL.search(word)
        ):
            latin += high
    return total > 0 and latin * 10 >= total * 8


_BOXES_ONLY = re.compile(rb"[\xb0-\xdf]+")
_WORD = re.compile(rb"[A-Za-z\x80-\xff]+")
_THREE_HIGH = re.compile(rb"[\x80-\xff]{3}")
_CAMEL = re.compile(rb"[a-z][A-Z]")


def _dos_boxes(sample: bytes) -> bool:
    """True when bytes that 850 reads as letters stand apart from any word, as the boxes
    and signs of 437 do, and never beside a Latin letter."""
    b = np.frombuffer(sample, dtype=np.uint8)
    boxes = np.isin(b, _BOXES_437_ARRAY)
    if not boxes.any():
        return False
    letter = _ASCII_LETTER[b]
    near = np.concatenate(([False], letter[:-1])) | np.concatenate((letter[1:], [False]))
    return not (boxes & near).any()


# Byte-order marks, longest first (UTF-32 LE's starts as UTF-16 LE's does).
_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 BE"),
    (b"\xff\xfe\x00\x00", "UTF-32 LE"),
    (b"\xef\xbb\xbf", "UTF-8"),
    (b"\xff\xfe", "UTF-16 LE"),
    (b"\xfe\xff", "UTF-16 BE"),
)


def doubled_marks(data: Bytes) -> tuple[int, list[str]]:
    """Where the last of two or more byte-order marks that start the file begins, and the
    encodings they name (a file converted twice: UTF-8's mark before UTF-16's); (0, []) for
    a file of one mark or none."""
    at, names, last = 0, [], 0
    head = bytes(data[:64])
    while len(names) < 16:
        for mark, name in _BOMS:
            if head.startswith(mark, at):
                last = at
                names.append(name)
                at += len(mark)
                break
        else:
            break
    return (last, names) if len(names) > 1 else (0, [])
