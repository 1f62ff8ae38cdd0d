"""Questions to ask and offers to make, suggested by the client's class and status."""

from __future__ import annotations

from kam_core.analytics.win_back import suggested_offer
from kam_core.dossier.qualification import Qualification
from kam_core.dossier.summary import ClientSummary
from kam_core.dossier.warnings import ON_TIME_TARGET

# fmt: off
QUESTIONS_BY_CLASS: dict[str, tuple[str, ...]] = {
    "A": ("What would make us your first-choice supplier for the next two or three years?",
          "Which of your projects next year will need our products?",
          "How do you rate our service against your other suppliers?"),
    "B": ("Which products do you buy elsewhere that we also supply?",
          "What would it take to move more of your volume to us?"),
    "C": ("Would standard terms with automatic reorders suit you?",
          "Which products do you reorder most often?"),
}
QUESTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    "lost": ("What made you stop buying from us?", "What would it take to come back?"),
    "at_risk": ("Has anything changed in your needs or in your suppliers?",
                "Were you satisfied with our recent deliveries?"),
    "new": ("What made you choose us, and what do you need next?",),
    "active": ("What could we do better?",),
}
OFFERS_BY_CLASS: dict[str, str] = {
    "A": "A long-term agreement with volume terms and a personal key account manager",
    "B": "A bundle with the products the client buys elsewhere (cross-sell)",
    "C": "Standard terms with automatic reorders and occasional campaigns",
}
# fmt: on


def talking_points(summary: ClientSummary, quali: Qualification) -> tuple[list[str], list[str]]:
    """Questions and offers for a negotiation, from class, XYZ, churn status and the dossier."""
    abc = summary.abc or "C"
    questions = list(QUESTIONS_BY_STATUS.get(summary.churn_status or "", ()))
    questions += QUESTIONS_BY_CLASS[abc]
    if summary.xyz == "Z":
        questions.append("Could we plan your orders together to avoid peaks and shortages?")
    if quali.need != "yes":
        questions.append("Which problems should our products solve for you this year?")
    if quali.solvency != "yes":
        questions.append("What budget is planned for these purchases, and who approves it?")
    if quali.authority != "yes":
        questions.append("Who else takes part in the decision, and who signs?")
    offers = []
    if summary.churn_status in ("lost", "at_risk"):
        offers.append(f"Win-back: {suggested_offer(summary.abc)}")
    offers.append(OFFERS_BY_CLASS[abc])
    if summary.strategy:
        offers.append(f"Strategy for {summary.cell}: {summary.strategy}")
    if summary.on_time is not None and summary.on_time < ON_TIME_TARGET:
        offers.append("A delivery guarantee on promised dates, with a named contact for orders")
    return questions, offers
