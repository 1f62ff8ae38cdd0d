"""The product's words: codes stored and computed, with the label a reader sees for each.

Codes are what the database and the reports hold ("at_risk", "image_maker"); labels are
glossary terms (docs/GLOSSARY.md), translated when shown through label_of().
"""

from __future__ import annotations

from kam_core.i18n import N_
from kam_core.i18n import terms as t

# Churn statuses (docs/DOMAIN.md, section 8), in the order a reader scans them.
NEW, ACTIVE, AT_RISK, LOST = "new", "active", "at_risk", "lost"
CHURN_STATUSES: dict[str, str] = {
    NEW: t.STATUS_NEW,
    ACTIVE: t.STATUS_ACTIVE,
    AT_RISK: t.STATUS_AT_RISK,
    LOST: t.STATUS_LOST,
}

# Key-client types (section 2); "ordinary" is a client with none.
ORDINARY = "ordinary"
CLIENT_TYPES: dict[str, str] = {
    "breadwinner": t.BREADWINNER,
    "prospect": t.PROSPECT,
    "image_maker": t.IMAGE_MAKER,
    "expert": t.EXPERT,
    ORDINARY: N_("Ordinary"),
}

# What ABC ranks clients by (section 4).
MEASURES: dict[str, str] = {
    "revenue": N_("Revenue"),
    "profit": N_("Profit"),
    "quantity": N_("Quantity"),
}

# Win-back statuses a manager records (section 8); "open" means nothing was done yet.
WIN_BACK_OPEN = "open"
WIN_BACK_STATUSES: tuple[str, ...] = ("planned", "contacted", "won back", "declined")
WIN_BACK_LABELS: dict[str, str] = {
    WIN_BACK_OPEN: N_("Open"),
    "planned": N_("Planned"),
    "contacted": N_("Contacted"),
    "won back": N_("Won back"),
    "declined": N_("Declined"),
}

# Directions losses come from (section 8).
LOSS_DIRECTIONS: dict[str, str] = {
    "region": N_("Region"),
    "manager": N_("Manager"),
    "segment": N_("Segment"),
    "category": N_("Product category"),
    "abc": N_("ABC class"),
    "client_type": N_("Client type"),
}

# What the audit log records (kam_core.services.audit.ACTIONS), as an admin reads it.
AUDIT_ACTIONS: dict[str, str] = {
    "import": N_("Import"),
    "import.refused": N_("Import refused"),
    "undo": N_("Import undone"),
    "dossier.save": N_("Dossier saved"),
    "dossier.add": N_("Dossier entry added"),
    "dossier.update": N_("Dossier entry changed"),
    "dossier.delete": N_("Dossier entry deleted"),
    "win_back.status": N_("Win-back status"),
    "settings.change": N_("Settings changed"),
    "restore": N_("Restore"),
    "backup": N_("Backup"),
    "export": N_("Export"),
    "user.add": N_("User added"),
    "user.change": N_("User changed"),
    "user.remove": N_("User removed"),
    "sign_in": N_("Sign-in"),
}

# Column headers of every table a reader sees: "Client ID" is the id, "Client" the name.
HEADERS: dict[str, str] = {
    "client_id": N_("Client ID"),
    "client_name": N_("Client"),
    "manager": N_("Manager"),
    "region": N_("Region"),
    "segment": N_("Segment"),
    "category": N_("Product category"),
    "types": N_("Types"),
    "abc": N_("ABC"),
    "xyz": N_("XYZ"),
    "cell": N_("Cell"),
    "status": N_("Status"),
    "revenue": N_("Revenue"),
    "profit": N_("Profit"),
    "quantity": N_("Quantity"),
    "share": N_("Share"),
    "cum_share": N_("Cumulative share"),
    "first_purchase": N_("First purchase"),
    "last_purchase": N_("Last purchase"),
    "days_since_last": N_("Days since last purchase"),
    "median_gap_days": N_("Usual gap (days)"),
    "revenue_at_stake": N_("Revenue at stake"),
    "offer": N_("Suggested offer"),
    "note": N_("Note"),
    "health": N_("Health"),
    "p_alive": N_("Probability alive"),
    "expected_value": N_("Expected value"),
    "dossier_completeness": N_("Dossier completeness"),
}

# Dates in the interface are day first (30.11.2026); the command line and files write ISO.
DATE_FORMAT = "%d.%m.%Y"
DATE_FORMAT_TABLE = "DD.MM.YYYY"
ISO_DATE = "%Y-%m-%d"


def label_of(vocabulary: dict[str, str], code: object) -> str:
    """The label of a code in the current language; an unknown code shows as itself."""
    key = str(code)
    return t.term(vocabulary[key]) if key in vocabulary else key.replace("_", " ")


def header(column: str) -> str:
    """The header of a column in the current language."""
    return label_of(HEADERS, column)


def status_label(status: object) -> str:
    """The label of a churn status: at_risk -> At risk."""
    return label_of(CHURN_STATUSES, status)


def type_labels(types: str | None) -> str:
    """A client's types as a reader sees them: "breadwinner,expert" -> "Breadwinner, Expert"."""
    kinds = [k for k in str(types or "").split(",") if k]
    return ", ".join(label_of(CLIENT_TYPES, k) for k in kinds) or label_of(CLIENT_TYPES, ORDINARY)
