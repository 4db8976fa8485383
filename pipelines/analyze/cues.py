"""Generic word families as extra attribute-head inputs: what a risk is about, and how hard it is said."""

from __future__ import annotations

import re

import numpy as np

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


def cues(text: str) -> np.ndarray:
    """Counts of each word family in the text (log-scaled)."""
    return np.log1p(np.array([len(p.findall(text)) for p in _PATTERNS], dtype=np.float32))


def attribute_input(matrix: np.ndarray, texts: list[str], turns: list[int], head: str) -> np.ndarray:
    """One attribute-head input row for a group of turns: mean turn features (+ word cues where used)."""
    row = matrix[turns].mean(0)
    if head not in CUED_HEADS:
        return row
    return np.concatenate([row, cues(" ".join(texts[i] for i in turns))])
