"""Generic word families as extra head inputs: what a turn does (changes, keeps, worries, commits...)
for the category heads, and what a risk is about and how hard it is said for the attribute heads.

Everyday English for any industry, written from the category definitions; none comes from the
labeled corpus. Mean-pooled sentence embeddings blur exactly these words ("still" against "now",
"fixed" against "broken"), so the heads get them as counts beside the embedding.
"""

from __future__ import annotations

import re

import numpy as np

# what a turn does; counted per turn (and for the previous turn) as category-head inputs
TURN_FAMILIES: dict[str, str] = {
    "change": r"\b(?:moved?|moving|push(?:ed|ing)?|rais(?:ed|ing)|lower(?:ed|ing)|bump(?:ed)?|shift(?:ed)?|"
    r"chang(?:ed|ing)|revis(?:ed|ing)|now (?:want|need|aim|expect)s?|instead|no longer|any ?more|"
    r"new (?:goal|target|priority|objective|mandate)|added|on top of that)\b",
    "drop": r"\b(?:park(?:ed|ing)?|paus(?:ed|ing)|shelv(?:ed|ing)|drop(?:ped|ping)?|scrap(?:ped)?|"
    r"deprioriti[sz]ed|not (?:pursuing|doing)|on hold|on ice|back burner|kill(?:ed)?)\b",
    "priority": r"\b(?:priority|priorities|prioriti[sz]\w*|top of|ahead of|number one|main focus|"
    r"more important|less important|urgent)\b",
    "stasis": r"\b(?:still|same|unchanged|hasn't changed|has not changed|not changed|"
    r"nothing(?:'s| has)? changed|doesn't change|no change|as before|stays?|on track|as planned|as agreed)\b",
    "hypothetical": r"\b(?:if we ever|someday|some day|one day|hypothetically|in theory|down the road|"
    r"at some point|might|could|would)\b",
    "resolved": r"\b(?:fixed|resolved|sorted|solved|cleared up|back to normal|not an issue|"
    r"no longer an issue|taken care of|went away)\b",
    "thanks": r"\b(?:thanks|thank you|appreciate|cheers|great call|lovely)\b",
    "commit": r"\b(?:i'll|we'll|i will|we will|let me|i can send|going to send|"
    r"by (?:monday|tuesday|wednesday|thursday|friday|end of|next)|next week|tomorrow|"
    r"follow up|set up|schedule)\b",
    "worry": r"\b(?:worr\w*|concern\w*|problem\w*|issue\w*|frustrat\w*|risk\w*|afraid|nervous|scared|"
    r"blocker|blocked|struggl\w*|complain\w*|unhappy|pain)\b",
    "people": r"\b(?:joined|hired|left|leaving|retir\w*|promoted|replac\w*|reports? to|"
    r"new (?:vp|director|head|cio|cto|cfo|coo|ceo|manager|lead)|took over|stepp\w+ (?:down|in|up)|on leave|"
    r"start(?:s|ed|ing)? (?:on|in|next))\b",
    "before_after": r"\b(?:used to|before|went from|down from|up from|compared to|instead of|now|"
    r"anymore|any more|since)\b",
    "we": r"\b(?:we|our|us|my|i)\b",
    "you": r"\b(?:you|your)\b",
}
_TURN_PATTERNS = [re.compile(p, re.I) for p in TURN_FAMILIES.values()]
# one family of everyday words per risk category (any industry; no corpus sentences)
RISK_FAMILIES: dict[str, str] = {
    "budget": r"budget|fund|spend|freez|frozen|\bcfo\b|finance|business case|cost[- ]cut|headcount|fiscal",
    "pricing": r"pric|per seat|per user|\bfees?\b|discount|expensive|quote|invoice|uplift|cost more",
    "competitor": r"competitor|alternative|other vendor|evaluat|\brfp\b|switch|cheaper|bake-?off|\bdemo\b",
    "adoption": r"adopt|usage|using it|log ?in|spreadsheet|workaround|not using|uptake|training|old way",
    "sponsor": r"sponsor|champion|leaving|\bleft\b|new (?:boss|exec|vp|ceo|cfo|coo)|who signed|retir",
    "technical": r"integrat|\bapi\b|\bbugs?\b|error|outage|slow|time ?out|crash|sync|broken|latency",
    "timeline": r"delay|slip|deadline|timeline|behind|push(?:ed)? (?:back|out)|go-?live|launch|\blate\b",
    "support": r"support|ticket|response time|escalat|\bsla\b|waiting|no answer|on hold",
    "security_compliance": r"secur|complian|audit|\bsoc ?2?\b|hipaa|gdpr|privacy|legal|regulat|encrypt",
    "org_change": r"reorg|restructur|merger|acqui|layoff|new leadership|consolidat|reporting line",
    "renewal": r"renew|contract|cancel|churn|terminat|notice|walk away",
}
# how hard a risk is said: hedges soften it, intensifiers and escalation harden it
HEDGES = (
    r"\b(?:maybe|might|a (?:bit|little)|small|minor|slight|not a big deal|for now|probably fine|manageable|"
    r"keep an eye|not urgent|nothing urgent)\b"
)
INTENSIFIERS = (
    r"\b(?:serious|critical|really|very|can't|cannot|won't|will not|cancel|escalat|ceo|board|deal ?breaker|"
    r"non-?negotiable|at risk|walk away|unacceptable|huge|major|blocked|stop)\b"
)
_PATTERNS = [re.compile(p, re.I) for p in (*RISK_FAMILIES.values(), HEDGES, INTENSIFIERS)]
CUE_NAMES = (*RISK_FAMILIES, "hedge", "intensifier")
# attribute heads that read the cues besides the turn features
CUED_HEADS = {"risk.category", "risk.severity"}


def _counts(patterns: list[re.Pattern[str]], texts: list[str]) -> np.ndarray:
    """(texts, patterns) log-scaled match counts."""
    counts = [[len(p.findall(t)) for p in patterns] for t in texts]
    return np.log1p(np.array(counts, dtype=np.float32).reshape(len(texts), len(patterns)))


def turn_cues(texts: list[str]) -> np.ndarray:
    """(n, len(TURN_FAMILIES)) counts of each turn family per text (log-scaled)."""
    return _counts(_TURN_PATTERNS, texts)


def cues(text: str) -> np.ndarray:
    """Counts of each risk word family, hedges and intensifiers in the text (log-scaled)."""
    return _counts(_PATTERNS, [text])[0]


def attribute_input(matrix: np.ndarray, texts: list[str], turns: list[int], head: str) -> np.ndarray:
    """One attribute-head input row for a group of turns: mean turn features (+ word cues where used)."""
    row = matrix[turns].mean(0)
    if head not in CUED_HEADS:
        return row
    return np.concatenate([row, cues(" ".join(texts[i] for i in turns))])
