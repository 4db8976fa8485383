"""Short generic descriptions of what each category and attribute value sounds like.

They are not training sentences: each turn gets, per group, its best cosine similarity (over
its sentences) to the group's descriptions, a zero-shot prior the trained heads weigh. Written
for any industry; none comes from the labeled corpus.
"""

from __future__ import annotations

PROTOTYPES: dict[str, tuple[str, ...]] = {
    # categories
    "goal_shift": (
        "our target has changed, the new goal is higher than before",
        "leadership moved the deadline for this objective",
        "we are dropping that goal, it is no longer a priority",
        "this is now our number one priority, ahead of the other goal",
        "we have a new objective for next year on the scorecard",
    ),
    "stakeholder_change": (
        "she joined the company last month as the new director",
        "he left the company, his last day was Friday",
        "she was promoted and now runs the whole department",
        "he is the new executive sponsor for this project",
        "after the reorganization the team reports to a different vice president",
        "she retired and her replacement starts next week",
    ),
    "risk": (
        "this could put the renewal at risk",
        "we are worried and frustrated, it is not working",
        "leadership is questioning whether to keep paying for this",
        "this is a serious problem we need fixed",
    ),
    "value_quote": (
        "it saved us hours every week compared to before",
        "we cut our costs by a third since we started using it",
        "our numbers improved a lot, down from twelve to four",
        "the team is far more productive than last year",
    ),
    "advocacy_signal": (
        "I would be happy to be a reference for you",
        "we would do a case study with you",
        "I can speak at your conference or webinar",
        "I will refer you to a peer at another company",
        "I'd be glad to write a review or give a testimonial",
    ),
    "expansion_signal": (
        "we want to roll this out to another team or department",
        "we are interested in adding more users and licenses",
        "can you send pricing for the additional module",
        "another division wants to start using your product too",
    ),
    "next_step": (
        "I will send you the document by Friday",
        "can you set up a follow-up meeting next week",
        "let's schedule a call with the team",
        "I'll get back to you with an answer by end of month",
    ),
    # risk categories
    "risk.budget": (
        "our budget was cut and spending is frozen",
        "finance needs a business case to approve the cost",
    ),
    "risk.competitor": ("we are evaluating a competing vendor", "another product does this cheaper"),
    "risk.adoption": ("people are not using the tool", "users went back to spreadsheets and the old way"),
    "risk.sponsor": ("our executive sponsor is leaving", "the person who championed this is gone"),
    "risk.technical": ("the integration keeps failing with errors", "the system is slow and times out"),
    "risk.timeline": ("the rollout is delayed and the deadline will slip", "we will not make the date"),
    "risk.support": ("support tickets take weeks to get answered", "nobody responds when we escalate"),
    "risk.security_compliance": ("the security review and audit require it", "data privacy law compliance"),
    "risk.org_change": ("the reorganization changed who owns this", "layoffs and a merger are coming"),
    "risk.pricing": ("the price increase is too expensive", "the new fee per seat will not be approved"),
    "risk.renewal": ("we may not renew the contract", "we are thinking about cancelling at renewal"),
    # value types
    "value.time_saved": ("it takes days instead of weeks now", "we save hours every week"),
    "value.cost_saved": ("we saved thousands of dollars", "we avoided an expensive cost"),
    "value.revenue": ("we won more business and revenue grew", "sales increased because of it"),
    "value.productivity": ("each person handles more work than before", "the team gets more done"),
    "value.quality": ("errors dropped to almost zero", "the data is accurate and clean now"),
    "value.visibility": ("now we can see problems early", "the dashboard shows us what is happening"),
    "value.risk_reduction": ("we avoided an outage or a failure", "fewer incidents and safety issues"),
    "value.adoption": ("everyone uses it every day now", "the whole team logs in without being asked"),
    "value.experience": ("our customers are happier and complaints went down", "staff love using it"),
    # stakeholder change types
    "change.joined": ("she is new here and just joined", "we hired a new manager who started this month"),
    "change.departed": ("he left the company", "she retired and is no longer here"),
    "change.role_changed": ("she was promoted to a new title", "he moved into a different role"),
    "change.sponsor_changed": ("the new executive now owns the budget and signs the renewal",),
    "change.champion_changed": ("she will be your main point of contact and day to day owner now",),
    "change.reorg": ("the department now reports to a different leader after the reorganization",),
    # goal shift kinds
    "kind.new": ("we added a brand new goal",),
    "kind.changed": ("the target moved from one number to a more ambitious one",),
    "kind.dropped": ("we paused that initiative and took it off the list",),
    "kind.reprioritized": ("that goal is now more important than the other one",),
}
GROUPS: tuple[str, ...] = tuple(PROTOTYPES)
