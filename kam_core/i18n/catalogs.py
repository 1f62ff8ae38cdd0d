"""The interface language: gettext catalogs compiled on first use and the language of this run."""

from __future__ import annotations

import gettext as _gettext
import io
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

DOMAIN = "kam"
SUPPORTED: tuple[str, ...] = ("en", "he")
DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"he"})
# The repository's catalogs: locale/<lang>/LC_MESSAGES/kam.po; the .mo beside it is built here.
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
# Old and regional names browsers and systems still send.
_ALIASES = {"iw": "he", "he": "he", "en": "en"}

# Streamlit runs each session's script in its own thread; a context variable set at the start of
# every run gives each run its own language without locks (new threads start at the default).
_LANGUAGE: ContextVar[str] = ContextVar("kam_language", default=DEFAULT_LANGUAGE)

_LOCK = threading.Lock()
_LOADED: dict[str, tuple[float, _gettext.NullTranslations]] = {}


def normalise(tag: str | None) -> str | None:
    """The supported language a tag such as 'he-IL', 'iw', 'he_IL.UTF-8' or 'en' names, or None."""
    if not tag:
        return None
    base = re.split(r"[-_.@]", tag.strip().lower(), maxsplit=1)[0]
    return _ALIASES.get(base)


def negotiate(accept_language_or_locale: str | None) -> str:
    """The language for an Accept-Language header or a locale: Hebrew if asked, else English."""
    if not accept_language_or_locale:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language_or_locale.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0.0
        lang = normalise(tag)
        if lang and quality > 0:
            # Highest quality first; between equals, the order the browser listed them.
            ranked.append((-quality, position, lang))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def language_from_env(cli_lang: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The command line's language: --lang if given, else LANGUAGE, LC_ALL, LC_MESSAGES, LANG."""
    if cli_lang:
        lang = normalise(cli_lang)
        if lang is None:
            raise ValueError(f"unsupported language {cli_lang!r}; choose one of {SUPPORTED}")
        return lang
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        # LANGUAGE is a priority list ('he:en'); the first supported entry wins.
        for tag in value.split(":"):
            lang = normalise(tag)
            if lang:
                return lang
        if name != "LANGUAGE":
            return DEFAULT_LANGUAGE  # 'C', 'POSIX' or an unsupported locale: English
    return DEFAULT_LANGUAGE


def set_language(lang: str | None) -> str:
    """Make lang (normalised; English when unknown) the language of this thread's run."""
    chosen = normalise(lang) or DEFAULT_LANGUAGE
    _LANGUAGE.set(chosen)
    refresh(chosen)  # once per run: an edited kam.po shows on the next rerun
    return chosen


def get_language() -> str:
    """The language of this run."""
    return _LANGUAGE.get()


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Run a block in another language (exports, tests), restoring the previous one after."""
    token = _LANGUAGE.set(normalise(lang) or DEFAULT_LANGUAGE)
    try:
        yield _LANGUAGE.get()
    finally:
        _LANGUAGE.reset(token)


def is_rtl(lang: str | None = None) -> bool:
    """True when the language (the current one by default) reads right to left."""
    return (lang or get_language()) in RTL_LANGUAGES


def po_path(lang: str) -> Path:
    """Where the catalog of a language lives in the repository."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _sources(po: Path) -> list[Path]:
    """The catalog of a language and its parts (parts/*.po beside it, one per area of the app)."""
    return [po, *sorted((po.parent / "parts").glob("*.po"))]


def _stamp(po: Path) -> float:
    """The newest modification time of a catalog and its parts (0 when there is none)."""
    return max((p.stat().st_mtime for p in _sources(po) if p.exists()), default=0.0)


def read_catalog(po: Path) -> Any:
    """A language's babel Catalog: the .po with its parts merged in (a part never overrides)."""
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source, domain=DOMAIN)
    for part in _sources(po)[1:]:
        with part.open("rb") as source:
            extra = read_po(source, domain=DOMAIN)
        for message in extra:
            present = catalog.get(message.id, message.context) if message.id else None
            if message.id and (present is None or not present.string):
                catalog[message.id] = message
    return catalog


def _compile(po: Path) -> bytes:
    """The .mo bytes of a .po file and its parts (fuzzy entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo

    catalog = read_catalog(po)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogs(force: bool = False) -> list[Path]:
    """Compile every .po whose .mo is missing or older; return the .mo files written."""
    written = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if force or not mo.exists() or mo.stat().st_mtime < _stamp(po):
            data = _compile(po)
            # Write then rename: a second process reading at the same moment sees a whole file.
            tmp = mo.with_name(f".{mo.name}.{os.getpid()}.{threading.get_ident()}")
            tmp.write_bytes(data)
            os.replace(tmp, mo)
            written.append(mo)
    return written


def _load(lang: str) -> _gettext.NullTranslations:
    """Read a language's catalog, compiling it first if its .mo is stale."""
    po = po_path(lang)
    if not po.exists():
        return _gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    try:
        if not mo.exists() or mo.stat().st_mtime < _stamp(po):
            compile_catalogs()
        data = mo.read_bytes()
    except OSError:
        # A read-only install: compile in memory instead of beside the .po.
        data = _compile(po)
    return _gettext.GNUTranslations(io.BytesIO(data))


def translations(lang: str | None = None) -> _gettext.NullTranslations:
    """The gettext translations of a language (the current one by default)."""
    lang = lang or get_language()
    if lang == DEFAULT_LANGUAGE:
        return _NULL  # English is the source language: msgids are the text
    cached = _LOADED.get(lang)
    return cached[1] if cached is not None else refresh(lang)


def refresh(lang: str) -> _gettext.NullTranslations:
    """Load a language's catalog again if its .po changed since it was read (checked per run)."""
    if lang == DEFAULT_LANGUAGE:
        return _NULL
    po = po_path(lang)
    stamp = _stamp(po) if po.exists() else 0.0
    with _LOCK:
        cached = _LOADED.get(lang)
        if cached is None or cached[0] != stamp:
            cached = (stamp, _load(lang))
            _LOADED[lang] = cached
    return cached[1]


_NULL = _gettext.NullTranslations()


def gettext(message: str) -> str:
    """The message in the current language."""
    return translations().gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for n, in the current language's plural rules."""
    return translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The message in the current language, for one meaning of a word used with several."""
    return translations().pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """ngettext for one meaning of a word used with several."""
    return translations().npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Mark a constant for extraction; translate it with _() when it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark a constant with a context; translate it with pgettext(context, message) when shown."""
    return message
