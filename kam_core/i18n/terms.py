"""The glossary's terms (docs/GLOSSARY.md) as marked constants: one msgid, one Hebrew word each.

Screens and vocabularies use these constants, translated at display with term(), so a domain
word has the same Hebrew everywhere. Words with two meanings in English ('Lost' for a client
and for a tender) carry a context and get their own Hebrew.
"""

from __future__ import annotations

from kam_core.i18n.catalogs import N_, NP_, gettext, pgettext


class Term(str):
    """A glossary msgid that remembers its gettext context (None for most terms)."""

    context: str | None

    def __new__(cls, msgid: str, context: str | None = None) -> Term:
        """A term with its msgid and context."""
        obj = super().__new__(cls, msgid)
        obj.context = context
        return obj


# Contexts of the words English uses with more than one meaning (NP_ needs them as literals
# for extraction, so the calls below repeat the text).
CLIENT_STATUS = "churn status"
TENDER_RESULT = "tender result"
XYZ_CLASS = "xyz class"
ROLE = "decision role"
ATTITUDE = "attitude"

KEY_CLIENT = Term(N_("Key client"))
KEY_CLIENTS = Term(N_("Key clients"))
KEY_ACCOUNT_MANAGER = Term(N_("Key account manager"))
BREADWINNER = Term(N_("Breadwinner"))
PROSPECT = Term(N_("Prospect"))
IMAGE_MAKER = Term(N_("Image-maker"))
EXPERT = Term(N_("Expert"))
ORDINARY = Term(N_("Ordinary (none)"))

ABC_ANALYSIS = Term(N_("ABC analysis"))
XYZ_ANALYSIS = Term(N_("XYZ analysis"))
CLASS_A = Term(N_("A: largest purchases"))
CLASS_B = Term(N_("B: medium purchases"))
CLASS_C = Term(N_("C: smallest purchases"))
CLASS_X = Term(NP_("xyz class", "Frequent"), XYZ_CLASS)
CLASS_Y = Term(NP_("xyz class", "Regular"), XYZ_CLASS)
CLASS_Z = Term(NP_("xyz class", "Irregular"), XYZ_CLASS)

STATUS_NEW = Term(NP_("churn status", "New"), CLIENT_STATUS)
STATUS_ACTIVE = Term(NP_("churn status", "Active"), CLIENT_STATUS)
STATUS_AT_RISK = Term(NP_("churn status", "At risk"), CLIENT_STATUS)
STATUS_LOST = Term(NP_("churn status", "Lost"), CLIENT_STATUS)
WIN_BACK = Term(N_("Win-back"))
WIN_BACK_LIST = Term(N_("Win-back list"))

THREE_PS = Term(N_("Three P's"))
NEED = Term(N_("Need"))
SOLVENCY = Term(N_("Solvency"))
AUTHORITY = Term(N_("Authority"))

DECISION_MAP = Term(N_("Decision map"))
ROLE_DECISION_MAKER = Term(NP_("decision role", "Decision maker"), ROLE)
ROLE_INFLUENCER = Term(NP_("decision role", "Influencer"), ROLE)
ROLE_USER = Term(NP_("decision role", "User"), ROLE)
ROLE_GATEKEEPER = Term(NP_("decision role", "Gatekeeper"), ROLE)
ROLE_CHAMPION = Term(NP_("decision role", "Champion"), ROLE)
ROLE_BLOCKER = Term(NP_("decision role", "Blocker"), ROLE)
ATTITUDE_SUPPORTER = Term(NP_("attitude", "Supporter"), ATTITUDE)
ATTITUDE_NEUTRAL = Term(NP_("attitude", "Neutral"), ATTITUDE)
ATTITUDE_OPPONENT = Term(NP_("attitude", "Opponent"), ATTITUDE)

ABM = Term(N_("ABM (account-based marketing)"))
DOSSIER = Term(N_("Dossier"))
NEGOTIATION_BRIEF = Term(N_("Negotiation brief"))
CONCENTRATION = Term(N_("Concentration"))
HEALTH_SCORE = Term(N_("Health score"))
PROBABILITY_ALIVE = Term(N_("Probability alive"))
EXPECTED_VALUE = Term(N_("Expected value"))
PORTFOLIO = Term(N_("Portfolio"))
TENDER = Term(N_("Tender"))
TENDER_WON = Term(NP_("tender result", "Won"), TENDER_RESULT)
TENDER_LOST = Term(NP_("tender result", "Lost"), TENDER_RESULT)
COMPETITOR = Term(N_("Competitor"))
AS_OF_DATE = Term(N_("As-of date"))
ANALYSIS_WINDOW = Term(N_("Analysis window"))


def term(msgid: str, context: str | None = None) -> str:
    """A glossary term (or any msgid) in the current language, under its context if it has one."""
    context = context or getattr(msgid, "context", None)
    return pgettext(context, str(msgid)) if context else gettext(str(msgid))


# Every term, for the glossary check.
ALL: tuple[Term, ...] = tuple(v for v in list(globals().values()) if isinstance(v, Term))
