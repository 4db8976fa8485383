"""Rules where rules are the right tool: people's names, titles, numbers and due phrases."""

from __future__ import annotations

import re
from typing import Any

# Words that make a noun phrase a job title (generic English; no corpus sentences).
TITLE_WORDS = (
    "ceo cfo coo cto cio ciso cmo cro cpo vp svp evp avp president chief head director manager lead "
    "supervisor officer superintendent principal coordinator administrator analyst engineer architect "
    "owner controller treasurer counsel partner founder chair chairman chairwoman dean provost "
    "commissioner secretary specialist executive"
).split()
_TITLE_RE = re.compile(r"\b(" + "|".join(TITLE_WORDS) + r")\b", re.I)
_ABBREV = {
    "ceo": "Chief Executive Officer",
    "cfo": "Chief Financial Officer",
    "coo": "Chief Operating Officer",
    "cto": "Chief Technology Officer",
    "cio": "Chief Information Officer",
    "ciso": "Chief Information Security Officer",
    "cmo": "Chief Marketing Officer",
}
_DUE_RE = re.compile(
    r"\b(?:by|before|until|on|for|in|within|after)\s+(?:the\s+)?(?:end of (?:the )?\w+(?: \w+)?|next \w+|"
    r"(?:this|next) (?:week|month|quarter|friday|monday|tuesday|wednesday|thursday)|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r"(?: \w+)?|\w+ (?:days|weeks|months)|tomorrow|tonight|today|q[1-4])\b|"
    r"\b(?:today|tomorrow|tonight|"
    r"(?:this|next) (?:week|month|quarter|monday|tuesday|wednesday|thursday|friday)|"
    r"end of (?:the )?(?:day|week|month|quarter|year))\b",
    re.I,
)
_NUMBER_ENTS = {"PERCENT", "MONEY", "CARDINAL", "QUANTITY", "TIME", "DATE"}
_DIGIT_OR_WORD = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|half|third|quarter|double|twice|triple)\b",
    re.I,
)


# Words that say someone left (generic English). Across the 128 training meetings, a stakeholder
# change whose person shares a sentence with one of them was labeled "departed" 36 times in 37.
_DEPARTURE = re.compile(
    r"\b(?:retir(?:ed|ing|es)|left|leaving|leaves|resign(?:ed|ing|s)?|quit|depart(?:ed|ing|s)?|last day|"
    r"stepp(?:ed|ing) down|mov(?:ed|ing) on|let go|laid off|passed away|gone)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def said_to_leave(text: str, person: str) -> bool:
    """A sentence of the text names the person (by first name) and says someone left."""
    first = person.split()[0] if person.split() else ""
    if len(first) < 2:
        return False
    name = re.compile(rf"\b{re.escape(first)}\b")
    return any(_DEPARTURE.search(s) and name.search(s) for s in _SENTENCE_END.split(text))


def persons(doc: Any) -> list[str]:
    """PERSON entities in a spaCy doc, in order, without duplicates; possessive 's dropped."""
    out: list[str] = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            name = re.sub(r"['’]s$", "", ent.text.strip())
            if name and name not in out:
                out.append(name)
    return out


def resolve_name(mention: str, known: list[str]) -> str:
    """The full known name a mention refers to ("Dana" -> "Dana Reyes"), else the mention itself."""
    low = mention.lower().split()
    for name in known:
        parts = name.lower().split()
        if low == parts:
            return name
    for name in known:
        parts = name.lower().split()
        if low and low[0] == parts[0] and (len(low) == 1 or low[-1] == parts[-1]):
            return name
    return mention


def same_person(a: str | None, b: str | None) -> bool:
    """Two mentions share a name word ("Dana" and "Dana Reyes")."""
    return bool(a and b and set(a.lower().split()) & set(b.lower().split()))


def title_in(text: str) -> str | None:
    """A job title said in the text: the words around a title word ("VP of Technology", "COO")."""
    m = _TITLE_RE.search(text)
    if not m:
        return None
    word = m.group(1).lower()
    if word in _ABBREV and not re.search(r"\b(?:of|for)\b", text[m.end() : m.end() + 4]):
        return _ABBREV[word]
    left = re.findall(r"(?:\b[A-Z][\w&-]*\s+){0,3}$", text[: m.start()])
    right = re.match(
        r"(?:,?\s+(?:of|for)\s+(?:the\s+)?(?:[A-Z][\w&-]*(?:\s+(?:and\s+)?|(?=[.,;:!?])|$)){1,3})?",
        text[m.end() :],
    )
    phrase = (left[0] if left else "") + m.group(0) + (right.group(0) if right else "")
    return phrase.strip(" ,.") or None


def due_in(text: str) -> str | None:
    """A due phrase as spoken ("by December first", "next week"), else None."""
    m = _DUE_RE.search(text)
    return m.group(0) if m else None


_ASR_NUMBER_GAPS = (
    (re.compile(r"(\d)\s+([,.]\d{3})(?!\d)"), r"\1\2"),  # "$40 ,000" -> "$40,000"
    (re.compile(r"(\d)\s*,\s+(0\d\d)(?!\d)"), r"\1,\2"),  # "4, 000" -> "4,000"
    (re.compile(r"(\d)\s+(%)"), r"\1\2"),  # "30 %" -> "30%"
    (re.compile(r"([$€£])\s+(\d)"), r"\1\2"),  # "$ 40" -> "$40"
    (re.compile(r"(\d)\s+(\.\d)"), r"\1\2"),  # "2 .5" -> "2.5"
)


def normalize_numbers(text: str) -> str:
    """Close the gaps speech recognition leaves inside numbers ("$40 ,000" -> "$40,000", "30 %" -> "30%")."""
    for pattern, repl in _ASR_NUMBER_GAPS:
        text = pattern.sub(repl, text)
    return text


def metric_in(doc: Any) -> str | None:
    """The numbers a speaker gives, as said ("thirty percent", "four days"), joined; None without numbers."""
    found: list[str] = []
    for ent in doc.ents:
        if ent.label_ in _NUMBER_ENTS and _DIGIT_OR_WORD.search(ent.text):
            span = ent.text
            nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
            if ent.label_ == "CARDINAL" and nxt is not None and nxt.pos_ == "NOUN":
                span = f"{span} {nxt.text}"
            if span not in found:
                found.append(span)
    return "; ".join(found[:3]) or None


_AUX = r"(?:is|are|was|were|do|does|did|will|would|can|could|should|has|have|had|shall)"
_SUBJECT = r"(?:the|that|this|these|those|it|we|you|they|he|she|our|your|their|there|any)"
# a question by its word order even when speech recognition drops the "?": "..., is the target still 20%."
_INVERTED = re.compile(rf"(?:^|[,;:]\s*)(?:so\s+|and\s+|but\s+)?{_AUX}\s+{_SUBJECT}\b", re.I)
_STILL = re.compile(r"\b(?:still|same|unchanged|on track|stand(?:s|ing)?)\b", re.I)


def is_question(sentence: str) -> bool:
    """The sentence asks something (a "?" or question word order)."""
    return sentence.rstrip().endswith("?") or bool(_INVERTED.search(sentence))


def asks_if_still_holds(sentence: str) -> bool:
    """A question whether something still stands ("is the target still 20%?"): a check, not a change."""
    return is_question(sentence) and bool(_STILL.search(sentence))
