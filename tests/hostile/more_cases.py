"""Hostile files of a third round: claims a reader trusts, amounts written as text at scale."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER
from tests.hostile.case import Case

# Two rows whose client names come from the shared strings.
_SHARED_ROWS = (
    '<row r="1">'
    + "".join(
        f'<c r="{rz.column(i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(HEADER)
    )
    + "</row>"
    + "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>2024-01-0{r}</t></is></c>'
        f'<c r="B{r}" t="s"><v>{r - 2}</v></c><c r="C{r}"><v>{r}</v></c></row>'
        for r in (2, 3)
    )
)


def shared_strings_claiming(unique: int, prefix: str = "") -> bytes:
    """Two shared strings in a part announcing `unique` of them (the reader reserves room)."""
    ns = f' xmlns{":" + prefix.rstrip(":") if prefix else ""}="{rz.MAIN_NS}"'
    si, t = f"{prefix}si", f"{prefix}t"
    items = "".join(f"<{si}><{t}>{n}</{t}></{si}>" for n in ("Alpha", "Beta"))
    sst = rz.XML_DECL + f'<{prefix}sst{ns} uniqueCount="{unique}">{items}</{prefix}sst>'
    part = rz.deflated("xl/sharedStrings.xml", sst.encode())
    return rz.xlsx([("Sales", rz.sheet_xml(_SHARED_ROWS))], [part])


def more_cases() -> list[Case]:
    """The third round's cases with their expected outcome."""
    announce = "shared strings announce"
    return [
        # 2e9 announced: the reader reserved 48 GB and aborted ("needs more than 2 GB").
        Case("sst_claims_2e9.xlsx", lambda p: shared_strings_claiming(2_000_000_000), announce),
        Case(
            "sst_claims_2e9_prefixed.xlsx",
            lambda p: shared_strings_claiming(2_000_000_000, "x:"),
            announce,
        ),
        # A count a little off, as careless writers leave it, is read as usual.
        Case(
            "sst_claims_a_few_more.xlsx",
            lambda p: shared_strings_claiming(50),
            rows=2,
            names=frozenset({"Alpha", "Beta"}),
        ),
    ]
