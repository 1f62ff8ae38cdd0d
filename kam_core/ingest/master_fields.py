"""Master-data sheets (Clients, Contacts, Tenders, Competitors, Activities, People): their
fields, the header synonyms that map to them and the words their choice columns accept.
Every sheet name, header and choice word the dossier workbooks write in Hebrew is here too, so
a workbook exported in Hebrew imports back."""

from __future__ import annotations

from dataclasses import dataclass

from kam_core.i18n import N_
from kam_core.ingest.fields import SYNONYMS, normalise_label


@dataclass(frozen=True)
class SheetKind:
    """One kind of master-data sheet: names it goes by, its fields and which are required."""

    kind: str
    label: str
    names: tuple[str, ...]
    # field -> type: line (a name: one line), text (free text, lines kept), id, int, number,
    # share, date, flag, answer, <vocab>
    fields: dict[str, str]
    required: tuple[str, ...]
    synonyms: dict[str, tuple[str, ...]]

    def index(self) -> dict[str, str]:
        """Normalised header label -> field, earlier synonyms first."""
        out: dict[str, str] = {}
        for fld, words in self.synonyms.items():
            for word in words:
                out.setdefault(normalise_label(word), fld)
        return out


CLIENT_REF = {"client_id": SYNONYMS["client_id"], "client_name": SYNONYMS["client_name"]}
CLIENT_REF_TYPES = {"client_id": "id", "client_name": "line"}

# fmt: off
SHEET_KINDS: dict[str, SheetKind] = {
    "client": SheetKind(
        "client", N_("Clients"),
        ("clients", "customers", "accounts", "client master", "customer master", "profiles",
         "לקוחות", "клиенты", "контрагенты", "заказчики"),
        {**CLIENT_REF_TYPES, "description": "text", "industry": "line", "employees": "int",
         "history": "text", "team": "text", "org_structure": "text", "environment": "text",
         "website": "line", "manager": "line", "is_image_maker": "flag", "is_expert": "flag",
         "type_override": "line", "need": "answer", "solvency": "answer", "authority": "answer",
         "qualification_note": "text", "qualification_source": "line",
         "qualification_date": "date"},
        ("client",),
        {**CLIENT_REF,
         "description": ("description", "company description", "about", "profile", "תיאור",
                         "תיאור החברה", "описание", "описание компании"),
         "industry": ("industry", "sector", "branch", "ענף", "תעשייה", "отрасль"),
         "employees": ("employees", "headcount", "staff", "number of employees", "עובדים",
                       "מספר עובדים", "сотрудников", "численность", "количество сотрудников"),
         "history": ("history", "company history", "היסטוריה", "история"),
         "team": ("team", "our contacts team", "צוות", "команда"),
         "org_structure": ("organisational structure", "organizational structure",
                           "org structure", "structure", "מבנה ארגוני", "оргструктура",
                           "организационная структура"),
         "environment": ("environment", "market environment", "סביבה", "סביבה עסקית", "окружение",
                         "среда"),
         "website": ("website", "web site", "site", "url", "web", "אתר", "אתר אינטרנט", "сайт"),
         "manager": SYNONYMS["manager"],
         "is_image_maker": ("image maker", "image-maker", "is image maker", "reputation",
                            "מותג תדמיתי", "לקוח תדמיתי", "имиджевый"),
         "is_expert": ("expert", "is expert", "demanding", "מומחה", "эксперт"),
         "type_override": ("type", "types", "client type override", "key type", "סוג", "סוגים",
                           "тип", "типы"),
         "need": ("need", "needs", "need for service", "צורך", "потребность"),
         "solvency": ("solvency", "ability to pay", "budget", "creditworthiness", "כושר פירעון",
                      "יכולת תשלום", "платежеспособность"),
         "authority": ("authority", "decision authority", "has authority", "סמכות", "סמכות החלטה",
                       "полномочия"),
         "qualification_note": ("qualification note", "3p note", "note", "notes", "הערה",
                                "הערה לבדיקת ההתאמה", "הערת בדיקת התאמה", "הערת הכשרה",
                                "примечание"),
         "qualification_source": ("source", "qualification source", "מקור", "источник"),
         "qualification_date": ("qualification date", "checked on", "date checked",
                                "תאריך בדיקה", "תאריך בדיקת ההתאמה", "תאריך בדיקת התאמה",
                                "дата проверки")},
    ),
    "contact": SheetKind(
        "contact", N_("Contacts"),
        ("contacts", "contact persons", "decision makers", "decision map", "people at clients",
         "אנשי קשר", "контакты", "контактные лица", "лпр"),
        {**CLIENT_REF_TYPES, "name": "line", "title": "line", "role": "role",
         "attitude": "attitude", "influence": "int", "reports_to": "line", "email": "line",
         "phone": "line", "notes": "text"},
        ("client", "name"),
        {**CLIENT_REF,
         "name": ("name", "contact", "contact name", "person", "full name", "שם", "איש קשר",
                  "שם איש קשר", "фио", "имя", "контактное лицо"),
         "title": ("title", "job title", "position", "תפקיד", "תפקיד בארגון", "должность"),
         "role": ("role", "role in decision", "decision role", "תפקיד בהחלטה", "роль",
                  "роль в решении"),
         "attitude": ("attitude", "attitude to us", "relationship", "stance", "יחס", "גישה",
                      "отношение", "отношение к нам"),
         "influence": ("influence", "influence 1 5", "weight", "השפעה", "влияние"),
         "reports_to": ("reports to", "manager name", "boss", "supervisor", "כפוף ל", "מדווח ל",
                        "подчиняется", "руководитель"),
         "email": ("email", "e mail", "mail", "דואל", "אימייל", "почта", "эл почта"),
         "phone": ("phone", "telephone", "mobile", "tel", "טלפון", "נייד", "телефон"),
         "notes": ("notes", "note", "comments", "הערות", "примечания", "комментарий")},
    ),
    "tender": SheetKind(
        "tender", N_("Tenders"),
        ("tenders", "bids", "rfp", "rfq", "מכרזים", "тендеры", "торги", "конкурсы"),
        {**CLIENT_REF_TYPES, "tender_date": "date", "subject": "text", "amount": "number",
         "result": "result", "reason": "text", "winner": "line"},
        ("client", "subject"),
        {**CLIENT_REF,
         "tender_date": ("date", "tender date", "bid date", "deadline", "תאריך", "תאריך מכרז",
                         "дата", "дата тендера"),
         "subject": ("subject", "tender", "title", "description", "scope", "נושא", "מכרז",
                     "предмет", "тема", "предмет тендера"),
         "amount": ("amount", "value", "budget", "estimated value", "סכום", "היקף", "сумма",
                    "бюджет"),
         "result": ("result", "outcome", "status", "תוצאה", "результат", "итог"),
         "reason": ("reason", "why", "reason for result", "סיבה", "причина"),
         "winner": ("winner", "winning competitor", "won by", "זוכה", "победитель")},
    ),
    "competitor": SheetKind(
        "competitor", N_("Competitors"),
        ("competitors", "competition", "מתחרים", "конкуренты"),
        {**CLIENT_REF_TYPES, "name": "line", "share": "share", "strengths": "text",
         "weaknesses": "text"},
        ("client", "name"),
        {**CLIENT_REF,
         "name": ("competitor", "name", "competitor name", "מתחרה", "שם מתחרה", "конкурент",
                  "название"),
         "share": ("share", "share of spend", "estimated share", "share of wallet", "נתח",
                   "נתח הוצאה", "נתח מההוצאות", "доля", "доля закупок"),
         "strengths": ("strengths", "strong points", "pros", "חוזקות", "сильные стороны"),
         "weaknesses": ("weaknesses", "weak points", "cons", "חולשות", "слабые стороны")},
    ),
    "activity": SheetKind(
        "activity", N_("Activities"),
        ("activities", "actions", "abm plan", "plan", "notes", "meetings", "פעילויות",
         "משימות", "мероприятия", "активности", "действия"),
        {**CLIENT_REF_TYPES, "kind": "kind", "activity_date": "date", "owner": "line",
         "status": "status", "due_date": "date", "text": "text", "contact": "line"},
        ("client", "text"),
        {**CLIENT_REF,
         "kind": ("kind", "type", "activity type", "סוג", "тип", "вид"),
         "activity_date": ("date", "activity date", "תאריך", "дата"),
         "owner": ("owner", "responsible", "who", "אחראי", "ответственный"),
         "status": ("status", "state", "סטטוס", "статус"),
         "due_date": ("due", "due date", "deadline", "יעד", "תאריך יעד", "срок"),
         "text": ("text", "what", "action", "note", "description", "תיאור", "פעולה", "מה",
                  "описание", "действие"),
         "contact": ("target", "target person", "contact", "for whom", "איש קשר", "איש היעד",
                     "для кого", "контакт")},
    ),
    "people": SheetKind(
        "people", N_("People"),
        ("people", "managers", "sales team", "team", "regions", "region managers", "אנשים",
         "מנהלים", "צוות", "менеджеры", "сотрудники", "команда"),
        {"region": "line", "manager": "line"},
        ("region", "manager"),
        {"region": SYNONYMS["region"], "manager": SYNONYMS["manager"]},
    ),
}

# Words a choice column accepts, per vocabulary; matched after normalise_label.
CHOICE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "role": {
        "decision_maker": ("decision maker", "dm", "decider", "signs", "lpr", "מקבל החלטות",
                           "מחליט", "лпр", "лицо принимающее решение"),
        "influencer": ("influencer", "influence", "משפיע", "влияющий", "влияет"),
        "user": ("user", "end user", "משתמש", "пользователь"),
        "gatekeeper": ("gatekeeper", "gate keeper", "secretary", "שומר סף", "привратник",
                       "секретарь"),
        "champion": ("champion", "sponsor", "coach", "ally", "אלוף", "שגריר", "שגריר פנימי",
                     "союзник", "чемпион"),
        "blocker": ("blocker", "חוסם", "блокирующий", "блокер"),
    },
    "attitude": {
        "supporter": ("supporter", "positive", "friendly", "for", "+", "תומך", "חיובי",
                      "сторонник", "позитивный", "лоялен"),
        "neutral": ("neutral", "0", "ניטרלי", "нейтральный", "нейтрально"),
        "opponent": ("opponent", "negative", "hostile", "against", "-", "מתנגד", "שלילי",
                     "противник", "негативный"),
    },
    "result": {
        "won": ("won", "win", "success", "זכינו", "זכייה", "выигран", "победа"),
        "lost": ("lost", "loss", "הפסדנו", "הפסד", "проигран", "проигрыш"),
        "pending": ("pending", "open", "in progress", "submitted", "ממתין", "פתוח", "ожидание",
                    "в процессе"),
        "declined": ("declined", "no bid", "did not bid", "withdrew", "לא השתתפנו", "ויתרנו",
                     "לא הגשנו", "отказ", "не участвовали"),
    },
    "kind": {
        "note": ("note", "comment", "הערה", "заметка"),
        "meeting": ("meeting", "call", "visit", "פגישה", "שיחה", "встреча", "звонок"),
        "abm": ("abm", "abm action", "marketing", "campaign", "שיווק", "פעולת abm", "маркетинг"),
        "win_back": ("win back", "winback", "win back action", "החזרת לקוח", "פעולת החזרה",
                     "возврат клиента"),
    },
    "status": {
        "planned": ("planned", "todo", "to do", "new", "open", "מתוכנן", "запланировано"),
        "in_progress": ("in progress", "doing", "started", "בתהליך", "בביצוע", "в работе"),
        "done": ("done", "completed", "complete", "closed", "finished", "בוצע", "выполнено"),
        "cancelled": ("cancelled", "canceled", "dropped", "בוטל", "отменено"),
    },
    "answer": {
        "yes": ("yes", "y", "true", "1", "כן", "да"),
        "no": ("no", "n", "false", "0", "לא", "нет"),
        "unknown": ("unknown", "?", "n a", "לא ידוע", "неизвестно"),
    },
}
# fmt: on


# Numbers a field may hold (inclusive); anything else is refused row by row with the range.
RANGES: dict[str, tuple[float, float]] = {
    "employees": (0, 10_000_000),
    "influence": (1, 5),
    "amount": (0, 1e12),
    "share": (0, 1),
}


def choice_index(vocab: str) -> dict[str, str]:
    """Normalised word -> stored value for one vocabulary (the stored values themselves too)."""
    out: dict[str, str] = {}
    for value, words in CHOICE_WORDS[vocab].items():
        out[normalise_label(value)] = value
        out.setdefault(value, value)
        for word in words:
            out.setdefault(normalise_label(word) or word, value)
    return out
