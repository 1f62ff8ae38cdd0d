"""Questions to ask and offers to make, suggested by the client's class and status."""

from __future__ import annotations

from kam_core.analytics.win_back import suggested_offer
from kam_core.dossier.qualification import Qualification
from kam_core.dossier.summary import ClientSummary
from kam_core.dossier.warnings import ON_TIME_TARGET
from kam_core.i18n import N_, _

# Marked here, translated when the brief is written (in the language of that run).
# fmt: off
QUESTIONS_BY_CLASS: dict[str, tuple[str, ...]] = {
    "A": (N_("What would make us your first-choice supplier for the next two or three years?"),
          N_("Which of your projects next year will need our products?"),
          N_("How do you rate our service against your other suppliers?")),
    "B": (N_("Which products do you buy elsewhere that we also supply?"),
          N_("What would it take to move more of your volume to us?")),
    "C": (N_("Would standard terms with automatic reorders suit you?"),
          N_("Which products do you reorder most often?")),
}
QUESTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    "lost": (N_("What made you stop buying from us?"), N_("What would it take to come back?")),
    "at_risk": (N_("Has anything changed in your needs or in your suppliers?"),
                N_("Were you satisfied with our recent deliveries?")),
    "new": (N_("What made you choose us, and what do you need next?"),),
    "active": (N_("What could we do better?"),),
}
OFFERS_BY_CLASS: dict[str, str] = {
    "A": N_("A long-term agreement with volume terms and a personal key account manager"),
    "B": N_("A bundle with the products the client buys elsewhere (cross-sell)"),
    "C": N_("Standard terms with automatic reorders and occasional campaigns"),
}
ASK_PLAN = N_("Could we plan your orders together to avoid peaks and shortages?")
ASK_NEED = N_("Which problems should our products solve for you this year?")
ASK_BUDGET = N_("What budget is planned for these purchases, and who approves it?")
ASK_AUTHORITY = N_("Who else takes part in the decision, and who signs?")
OFFER_DELIVERY = N_("A delivery guarantee on promised dates, with a named contact for orders")
# fmt: on


def talking_points(summary: ClientSummary, quali: Qualification) -> tuple[list[str], list[str]]:
    """Questions and offers for a negotiation, from class, XYZ, churn status and the dossier."""
    abc = summary.abc or "C"
    asked = list(QUESTIONS_BY_STATUS.get(summary.churn_status or "", ()))
    asked += QUESTIONS_BY_CLASS[abc]
    if summary.xyz == "Z":
        asked.append(ASK_PLAN)
    if quali.need != "yes":
        asked.append(ASK_NEED)
    if quali.solvency != "yes":
        asked.append(ASK_BUDGET)
    if quali.authority != "yes":
        asked.append(ASK_AUTHORITY)
    offers = []
    if summary.churn_status in ("lost", "at_risk"):
        offers.append(_("Win-back: {offer}").format(offer=_(suggested_offer(summary.abc))))
    offers.append(_(OFFERS_BY_CLASS[abc]))
    if summary.strategy:
        offers.append(
            _("Strategy for {cell}: {strategy}").format(
                cell=summary.cell, strategy=_(summary.strategy)
            )
        )
    if summary.on_time is not None and summary.on_time < ON_TIME_TARGET:
        offers.append(_(OFFER_DELIVERY))
    return [_(q) for q in asked], offers
