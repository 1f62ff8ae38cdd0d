"""The screens of the app: folder under views/, title, icon and URL path."""

from __future__ import annotations

# The URL paths are part of the product: links, bookmarks and tests use them.
SCREENS: list[tuple[str, str, str, str]] = [
    ("overview", "Overview", "home", "overview"),
    ("upload", "Upload", "upload_file", "upload"),
    ("abc_xyz", "ABC-XYZ", "grid_view", "abc-xyz"),
    ("types", "Client types", "sell", "types"),
    ("churn", "Churn and win-back", "trending_down", "churn"),
    ("managers", "Managers", "groups", "managers"),
    ("dossier", "Client dossier", "badge", "dossier"),
    ("settings", "Settings", "settings", "settings"),
]
DEFAULT_PATH = "overview"


def page_file(screen: str) -> str:
    """The script of a screen, as st.Page and st.switch_page name it: views/<screen>/page.py."""
    return f"views/{screen}/page.py"


def url_path(screen: str) -> str:
    """Return the URL path of the screen in views/<screen>/."""
    for name, _title, _icon, path in SCREENS:
        if name == screen:
            return path
    raise KeyError(screen)
