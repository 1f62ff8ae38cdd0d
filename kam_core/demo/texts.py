"""The demo dossiers' words: marked for translation and written in the language of the run."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton

from kam_core.i18n import N_, NP_, _, locale, pgettext

# The demo writes its texts in the language of the run (kam_core.demo.load.load_demo): each
# is marked here and translated when a row is written, after every random draw, so the English
# and the Hebrew demo hold the same clients, people, tenders and plans.
# fmt: off
INDUSTRY_WORDS = {"פלסטיק": "Plastics", "כימיקלים": "Chemicals", "מזון": "Foods",
                  "לוגיסטיקה": "Logistics", "Вектор": "Engineering"}
INDUSTRIES = (
    NP_("industry", "Logistics"), NP_("industry", "Foods"), NP_("industry", "Systems"),
    NP_("industry", "Construction"), NP_("industry", "Retail"), NP_("industry", "Pharma"),
    NP_("industry", "Textiles"), NP_("industry", "Engineering"),
    NP_("industry", "Hospitality"), NP_("industry", "Plastics"), NP_("industry", "Motors"),
    NP_("industry", "Energy"), NP_("industry", "Chemicals"),
)
# The demo sales' regions and segments as the profile's description names them.
REGION_WORDS = (NP_("demo region", "North"), NP_("demo region", "Center"),
                NP_("demo region", "South"), NP_("demo region", "Jerusalem"))
SEGMENT_WORDS = (NP_("demo segment", "Enterprise"), NP_("demo segment", "Mid-market"),
                 NP_("demo segment", "SMB"))
CATEGORY_WORDS = (NP_("demo category", "Packaging"), NP_("demo category", "Office Supplies"),
                  NP_("demo category", "Cleaning & Hygiene"),
                  NP_("demo category", "Safety Equipment"), NP_("demo category", "Electrical"),
                  NP_("demo category", "IT Hardware"))
FIRST = ("Dana", "Ori", "Michal", "Yael", "Eitan", "Noam", "Tamar", "Alex", "Irina", "Sergey",
         "Olga", "David", "Rachel", "Amit", "Lior", "Natalia", "Boris", "Shira", "Ron", "Maya")
# Hebrew job titles agree with the person: these first names take the feminine title.
WOMEN = frozenset({"Dana", "Michal", "Yael", "Tamar", "Irina", "Olga", "Rachel", "Natalia",
                   "Shira", "Maya"})
LAST = ("Shapiro", "Katz", "Mizrahi", "Ben-David", "Levin", "Orlov", "Kaplan", "Golan",
        "Petrova", "Sokolov", "Avraham", "Weiss", "Hadad", "Volkov", "Segal", "Baron")
# title, role, boss (index into this tuple), likely attitude weights (supporter, neutral, opp.)
PEOPLE = (
    (NP_("job title", "Chief Executive Officer"), "decision_maker", None, (0.5, 0.35, 0.15)),
    (NP_("job title", "Chief Financial Officer"), "influencer", 0, (0.2, 0.5, 0.3)),
    (NP_("job title", "Operations Director"), "champion", 0, (0.8, 0.2, 0.0)),
    (NP_("job title", "Procurement Manager"), "gatekeeper", 1, (0.3, 0.5, 0.2)),
    (NP_("job title", "Warehouse Manager"), "user", 2, (0.5, 0.4, 0.1)),
    (NP_("job title", "Quality Manager"), "blocker", 2, (0.1, 0.4, 0.5)),
)
# The same titles held by a woman (English has one form; Hebrew has two).
WOMEN_TITLES = (
    NP_("job title, woman", "Chief Executive Officer"),
    NP_("job title, woman", "Chief Financial Officer"),
    NP_("job title, woman", "Operations Director"),
    NP_("job title, woman", "Procurement Manager"),
    NP_("job title, woman", "Warehouse Manager"),
    NP_("job title, woman", "Quality Manager"),
)
COMPETITORS = ("Officeline Supply", "ProPack Solutions", "SafeWork Direct", "Electra Trade",
               "TechnoMart B2B", "CleanPro Distribution")
STRENGTHS = (N_("Lower list prices"), N_("Next-day delivery in the centre"), N_("Wide IT range"),
             N_("Long relationship with the CFO"), N_("Own fleet of trucks"),
             N_("Flexible payment terms"))
WEAKNESSES = (N_("Frequent stock-outs"), N_("Slow to answer claims"), N_("No account manager"),
              N_("Narrow range outside its core"), N_("Late deliveries in the north"),
              N_("Rigid minimum order"))
SUBJECTS = (N_("Annual supply of packaging materials"), N_("Office supplies framework 2024-2026"),
            N_("Safety equipment for new plant"), N_("IT hardware refresh"),
            N_("Cleaning and hygiene"), N_("Electrical fit-out of warehouse"))
REASONS = {"won": (N_("Best service level and delivery record"),
                   N_("Bundle price across categories")),
           "lost": (N_("Price 6% above the winner"),
                    N_("Competitor offered 90-day payment terms")),
           "pending": (N_("Offer submitted, decision expected next month"),),
           "declined": (N_("Scope outside our range"),)}
NOTES = (N_("Quarterly review: satisfied with delivery; asked about extended warranty."),
         N_("Complaint about a late delivery handled; credit note issued."),
         N_("Met the new procurement manager; wants a single invoice per month."),
         N_("Budget for next year approved; expects 10% more volume."))
ABM = (N_("Invite to the product day with a personal demo"),
       N_("Send a case study from their industry"),
       N_("Propose a joint forecast for next year's volumes"),
       N_("Executive lunch with our director"))
# fmt: on


def title_of(index: int, first_name: str) -> str:
    """The job title of PEOPLE[index] for a person of this first name, in the run's language."""
    if first_name in WOMEN:
        return pgettext("job title, woman", WOMEN_TITLES[index])
    return pgettext("job title", PEOPLE[index][0])


def industry_word(industry: str) -> str:
    """An industry of INDUSTRIES in the run's language."""
    return pgettext("industry", industry)


# The demo sales' columns whose values a company names in its own language, and the context of
# their words in the catalog.
DIMENSIONS = {"region": REGION_WORDS, "segment": SEGMENT_WORDS, "category": CATEGORY_WORDS}
_CONTEXTS = {"region": "demo region", "segment": "demo segment", "category": "demo category"}


def dimension_word(column: str, value: str) -> str:
    """A demo region, segment or category in the run's language (other values as they are)."""
    if value not in DIMENSIONS.get(column, ()):
        return value
    return pgettext(_CONTEXTS[column], value)


def description(industry: str, region: str, segment: str) -> str:
    """The profile's description: industry, the demo sales' region and segment."""
    return _(
        "{industry} company in the {region} region, {segment} segment; "
        "buys from us across several product categories."
    ).format(
        industry=industry_word(industry),
        region=dimension_word("region", region),
        segment=dimension_word("segment", segment),
    )


def history(first: date) -> str:
    """The profile's history, from the client's first purchase."""
    month = format_skeleton("yMMMM", first, locale=locale())
    return _(
        "Client since {month}. Grew with us after the first framework agreement; "
        "one price dispute in 2024 settled."
    ).format(month=month)


# Profile texts every demo dossier shares.
TEAM = N_("Procurement team of three; operations sign off on deliveries.")
ORG_STRUCTURE = N_("CEO; finance and operations directors; procurement under finance.")
ENVIRONMENT = N_("Price pressure from low-cost distributors; expanding to a second site.")
CHECKED = N_("Checked at the annual review.")
UNDER_REVIEW = N_("Credit limit under review after late payments.")
SOURCES = (N_("Annual report and trade press"), N_("Credit bureau"))
WIN_BACK = N_("Call the CEO: personal meeting and a special offer")
