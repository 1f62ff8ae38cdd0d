"""The screens of the app: file under views/, title, icon and URL path."""

from __future__ import annotations

# The URL paths are part of the product: links, bookmarks and tests use them.
SCREENS: list[tuple[str, str, str, str]] = [
    ("overview.py", "Overview", "home", "overview"),
    ("upload.py", "Upload", "upload_file", "upload"),
    ("abc_xyz.py", "ABC-XYZ", "grid_view", "abc-xyz"),
    ("types.py", "Client types", "sell", "types"),
    ("churn.py", "Churn and win-back", "trending_down", "churn"),
    ("managers.py", "Managers", "groups", "managers"),
    ("dossier.py", "Client dossier", "badge", "dossier"),
    ("settings.py", "Settings", "settings", "settings"),
]
DEFAULT_PATH = "overview"


def url_path(file: str) -> str:
    """Return the URL path of the screen in views/file."""
    for name, _title, _icon, path in SCREENS:
        if name == file:
            return path
    raise KeyError(file)
