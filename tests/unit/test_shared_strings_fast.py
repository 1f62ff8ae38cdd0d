"""The shared strings' lengths: a fast count for Excel's own markup, the exact parse for any
other, the same lengths wherever the pieces are cut."""

from __future__ import annotations

import pytest

from kam_core.ingest.parts import SharedStrings

HEAD = b'<?xml version="1.0"?>\n<sst xmlns="m" count="9" uniqueCount="5">'
ITEMS = [
    b"<si><t>a</t></si>",
    "<si><t>אלון בע״מ</t></si>".encode(),
    b'<si><t xml:space="preserve"> two  spaces </t></si>',
    b"<si><r><rPr><b/></rPr><t>bold</t></r><r><t>plain</t></r></si>",
    b"<si><t>" + b"x" * 40_000 + b"</t></si>",
]
LENGTHS = [1, 9, 13, 9, 40_000]


def measure(xml: bytes, step: int, exact: bool = False) -> SharedStrings:
    strings = SharedStrings(exact)
    for at in range(0, len(xml), step):
        strings.feed(xml[at : at + step])
    strings.feed(b"", final=True)
    return strings


@pytest.mark.parametrize("step", [5, 4_099, 1 << 20])
def test_the_fast_count_gives_each_strings_characters_as_the_exact_parse(step):
    xml = HEAD + b"".join(ITEMS) + b"</sst>"
    fast, exact = measure(xml, step), measure(xml, step, exact=True)
    assert fast.regular
    assert list(fast.lengths) == list(exact.lengths) == LENGTHS
    assert fast.claimed == exact.claimed == 5


def test_an_entity_counts_as_written_never_less_than_its_character():
    xml = HEAD + b"<si><t>A &amp; B</t></si></sst>"
    assert list(measure(xml, 1 << 20).lengths) == [9]  # an upper bound of the exact 5
    assert list(measure(xml, 1 << 20, exact=True).lengths) == [5]


@pytest.mark.parametrize(
    "item",
    [
        b"<x:si><x:t>a</x:t></x:si>",  # a prefix on every element
        b"<si><t><![CDATA[<si>]]></t></si>",
        b"<si><!-- note --><t>a</t></si>",
        b'<si id="1"><t>a</t></si>',
        b"<si/>",
    ],
)
def test_markup_the_fast_count_cannot_judge_goes_to_the_exact_parse(item):
    xml = HEAD + ITEMS[0] + item + b"</sst>"
    assert not measure(xml, 1 << 20).regular
    assert len(measure(xml, 1 << 20, exact=True).lengths) == 2


def test_a_string_longer_than_the_carry_goes_to_the_exact_parse():
    xml = HEAD + b"<si><t>" + b"y" * (17 << 20) + b"</t></si></sst>"
    assert not measure(xml, 1 << 20).regular


def test_a_greater_than_sign_in_text_or_in_an_attribute_never_hides_characters():
    # '>' is legal unescaped in text and in quoted attributes: a long text of them, or after
    # them, must count whole (an amplification hidden this way would pass the bound).
    long = b">" * 30_000
    xml = HEAD + b"<si><t>" + long + b"</t></si><si><t>>" + b"y" * 30_000 + b"</t></si>"
    xml += b'<si><t a=">">z</t></si></sst>'
    got = list(measure(xml, 4_099).lengths)
    exact = list(measure(xml, 4_099, exact=True).lengths)
    assert exact == [30_000, 30_001, 1]
    assert all(g >= e for g, e in zip(got, exact, strict=True)), got
    assert got[:2] == exact[:2]
