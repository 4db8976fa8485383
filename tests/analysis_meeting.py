"""A small invented meeting (municipal fleet software) for the analysis unit tests.

Every sentence here was written for these tests; none comes from the labeled corpus.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from pipelines.account import Account, Goal, Stakeholder, VendorMember
from pipelines.highlight import Analysis, Highlight
from pipelines.transcript import Participant, Segment, Transcript

if TYPE_CHECKING:
    from pipelines.analyze.context import MeetingContext

ACCOUNT = Account(
    account_id="acct-harbor-city",
    name="Harbor City Fleet Services",
    goals=[
        Goal(id="g1", text="Keep vehicle downtime under 5% of fleet days by June 2027"),
        Goal(id="g2", text="Move every work order off paper forms by March"),
    ],
    stakeholders=[
        Stakeholder(name="Elliot Park", title="Director of Fleet Operations", role="executive_sponsor"),
        Stakeholder(name="Ruth Amari", title="Maintenance Supervisor", role="champion"),
        Stakeholder(name="Victor Lane", title="Procurement Lead", role="economic_buyer"),
    ],
    vendor_team=[VendorMember(name="Nora Quinn", title="Customer Success Manager")],
)
VENDOR, SPONSOR, CHAMPION = "Nora Quinn", "Elliot Park", "Ruth Amari"

TURNS: list[tuple[str, str]] = [
    (VENDOR, "Morning all, thanks for joining. How was the storm cleanup this week?"),  # 0
    (SPONSOR, "Long, but we survived it. The plows held up fine."),  # 1
    (VENDOR, "Glad to hear. Shall we start with where the goals stand?"),  # 2
    # goal shift: changed target (g1)
    (SPONSOR, "Sure. The city council changed our downtime target last week. It has to be under three "
              "percent now, not five, and they pulled the deadline in to this December."),  # 3
    # near miss: restated goal
    (CHAMPION, "Going paperless on work orders is still the plan for March, nothing has changed there."),  # 4
    # value quote (customer) with a number
    (CHAMPION, "Honestly the mechanics love it. We close a work order in about ten minutes now, it used "
               "to take us close to an hour with the paper forms."),  # 5
    # near miss: vendor-claimed value
    (VENDOR, "By our numbers your team has processed forty percent more work orders since launch."),  # 6
    # near miss: polite thanks
    (SPONSOR, "Thanks, that dashboard was helpful."),  # 7
    # stakeholder change: departed with replacement
    (SPONSOR, "One people update. Victor Lane retired at the end of October, and Dana Whitfield took over "
              "as our new procurement manager."),  # 8
    # near miss: vendor-side staffing
    (VENDOR, "And on our side, I'm moving to a new territory next quarter, so a colleague will take over "
             "as your CSM."),  # 9
    # risk: budget
    (SPONSOR, "The bad news is the budget. The city froze all new software spending until July, and "
              "finance says our renewal needs a full business case before they sign anything."),  # 10
    # near miss: risk resolved in the same breath
    (CHAMPION, "We had that login outage in September, but you fixed it the same day and it has been "
               "rock solid since, so that's not a concern at all."),  # 11
    # expansion
    (SPONSOR, "The parks department saw our dashboards and they want to put their forty mowers and "
              "trucks on the system too. Can you send us pricing for that?"),  # 12
    # near miss: pitch without uptake
    (VENDOR, "We also have a fuel card integration module, if that's ever of interest."),  # 13
    (SPONSOR, "Not this year, no."),  # 14
    # advocacy: willing to be a reference after a win
    (VENDOR, "Would you be open to being a reference for other cities?"),  # 15
    (SPONSOR, "Absolutely, I'd be happy to take a call with another city. This rollout has been a real "
              "success for us."),  # 16
    # next steps
    (VENDOR, "Great. I'll send you the parks pricing and a draft business case by next Friday."),  # 17
    # 18: the owner is the person asked
    (SPONSOR, "Perfect. Ruth, could you pull the downtime numbers for the last six months before then?"),
    (CHAMPION, "Yes, I can have those to you by Wednesday."),  # 19
    (VENDOR, "Thanks everyone, talk soon."),  # 20
]


def transcript(with_sides: bool = True, with_times: bool = True) -> Transcript:
    """The meeting as a transcript; 6 seconds a turn when timed."""
    sides = {VENDOR: "vendor", SPONSOR: "customer", CHAMPION: "customer"}
    segments = [
        Segment(id=i, text=text, speaker=who, side=sides[who] if with_sides else None,
                start=6.0 * i if with_times else None, end=6.0 * i + 5.5 if with_times else None)
        for i, (who, text) in enumerate(TURNS)
    ]
    people = [Participant(name=n, side=s if with_sides else None) for n, s in sides.items()]
    return Transcript(source="import", segments=segments, participants=people)


@lru_cache(maxsize=4)
def analysis(with_sides: bool = True, with_times: bool = True, with_account: bool = True) -> Analysis:
    """The shipped engine's analysis of the meeting (models load once per test process)."""
    from pipelines.analyze import analyze

    return analyze(transcript(with_sides, with_times), ACCOUNT if with_account else None, "test-fleet")


def found(category: str, turn: int, result: Analysis | None = None) -> Highlight | None:
    """The highlight of ``category`` whose turns include ``turn``, if any."""
    result = result or analysis()
    return next((h for h in result.highlights if h.category == category and turn in h.turns), None)


@lru_cache(maxsize=1)
def meeting_context() -> MeetingContext:
    """The engine's per-meeting context (features, heads, probabilities) for rule-level checks."""
    from models.heads import load_heads
    from pipelines.analyze.context import MeetingContext
    from pipelines.analyze.features import featurize
    from pipelines.analyze.inference import category_probs
    from pipelines.sides import resolve_sides

    heads = load_heads()
    t = transcript()
    feats = featurize(t, ACCOUNT, resolve_sides(t, ACCOUNT)[0])
    return MeetingContext(t, ACCOUNT, feats, heads, category_probs(heads.heads, feats))
