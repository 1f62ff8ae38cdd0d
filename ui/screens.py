"""The screens of the app: folder under views/, title (translated at display), icon, URL path."""

from __future__ import annotations

from kam_core.i18n import N_

# The URL paths are part of the product: links, bookmarks and tests use them.
SCREENS: list[tuple[str, str, str, str]] = [
    ("overview", N_("Overview"), "home", "overview"),
    ("upload", N_("Upload"), "upload_file", "upload"),
    ("abc_xyz", N_("ABC-XYZ"), "grid_view", "abc-xyz"),
    ("types", N_("Client types"), "sell", "types"),
    ("churn", N_("Churn and win-back"), "trending_down", "churn"),
    ("managers", N_("Managers"), "groups", "managers"),
    ("dossier", N_("Client dossier"), "badge", "dossier"),
    ("settings", N_("Settings"), "settings", "settings"),
]
DEFAULT_PATH = "overview"
# Team mode's admin screens (ui/admin.py): name, title, icon, URL path.
ADMIN_SCREENS: list[tuple[str, str, str, str]] = [
    ("users", N_("Users"), "manage_accounts", "users"),
    ("audit", N_("Audit log"), "history", "audit"),
]


def page_file(screen: str) -> str:
    """The script of a screen, as st.Page and st.switch_page name it: views/<screen>/page.py."""
    return f"views/{screen}/page.py"


def url_path(screen: str) -> str:
    """Return the URL path of the screen in views/<screen>/."""
    for name, _title, _icon, path in SCREENS:
        if name == screen:
            return path
    raise KeyError(screen)
