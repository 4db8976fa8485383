"""A small reviewed-meeting world for the page tests: an account, a processed meeting with a real
(synthetic tone) recording, its transcript and highlights, stored the way a job stores them."""
from __future__ import annotations

from pathlib import Path

from audiogen import tone, write_audio

from pipelines.account import Account, Goal, Stakeholder, VendorMember
from pipelines.account_state import AccountState
from pipelines.highlight import AdvocacyFlag, Analysis, Highlight
from pipelines.transcript import Segment, Transcript
from worker.db import repo
from worker.db.users import create_user
from worker.intake import store_input
from worker.review_policy import apply_with_policy
from worker.services import Services
from worker.transcripts import save_transcript

PASSWORD = "review-page-secret"
ACCOUNT = Account(
    account_id="acct-lumen", name="Lumen Bakeries", renewal_date="2027-03-31", segment="mid_touch",
    goals=[Goal(id="g1", text="Open two new central kitchens", status="on_track")],
    stakeholders=[Stakeholder(name="Ana Ruiz", title="VP Operations", role="executive_sponsor"),
                  Stakeholder(name="Tom Becker", title="IT Lead", role="champion")],
    vendor_team=[VendorMember(name="Sam Ortiz", title="Customer Success Manager")])

LINES = [  # (speaker, side, start, text): our own words, not the eval corpus
    ("Sam Ortiz", "vendor", 0.0, "Thanks for joining, shall we walk through the quarter?"),
    ("Ana Ruiz", "customer", 4.0, "Sure. The kitchen plan moved: we now open one kitchen, not two."),
    ("Ana Ruiz", "customer", 9.0, "Also Tom Becker left us last week; Lia Chen runs IT now."),
    ("Sam Ortiz", "vendor", 14.0, "Understood, I will set up time with Lia."),
    ("Ana Ruiz", "customer", 18.0, "Finance is asking whether we can cut the licence count."),
    ("Ana Ruiz", "customer", 23.0, "Ordering is twice as fast since the rollout, honestly."),
    ("Sam Ortiz", "vendor", 28.0, "Great. I will send the usage report by Friday."),
    ("Ana Ruiz", "customer", 33.0, "Perfect, talk soon."),
]


def transcript(lines: list[tuple[str, str, float, str]] = LINES) -> Transcript:
    return Transcript(source="import", duration=40.0, segments=[
        Segment(id=k, start=start, end=start + 4.0, text=text, speaker=who, side=side)  # type: ignore[arg-type]
        for k, (who, side, start, text) in enumerate(lines)])


def highlights() -> list[Highlight]:
    def h(cat: str, turn: int, confidence: float, **attributes: str) -> Highlight:
        who, side, start, text = LINES[turn]
        return Highlight(category=cat, evidence=text, speaker=who, side=side, start=start,  # type: ignore[arg-type]
                         end=start + 4.0, turns=[turn], confidence=confidence, extractor="test.seed.v1",
                         attributes=attributes)

    return [
        h("goal_shift", 1, 0.81, kind="changed", previous_goal_id="g1", goal="Open one new central kitchen"),
        h("stakeholder_change", 2, 0.77, person="Tom Becker", change="departed", replaced_by="Lia Chen"),
        h("risk", 4, 0.66, category="budget", severity="high", summary="Finance may cut the licence count"),
        h("value_quote", 5, 0.72, quote="Ordering is twice as fast since the rollout",
          value_type="time_saved"),
        h("next_step", 6, 0.88, action="Send the usage report", owner="Sam Ortiz", due="Friday"),
    ]


def seed(svc: Services, tmp: Path, *, lines: list[tuple[str, str, float, str]] = LINES,
         meeting_id: str = "m_seeded0000000001", account: Account = ACCOUNT) -> str:
    """Store the account (if new), one done meeting with recording, transcript and highlights."""
    with svc.db.session() as s:
        try:
            repo.account_state(s, account.account_id)
        except repo.NotFoundError:
            repo.import_account(s, AccountState.from_account(account))
    wav = write_audio(tmp / f"{meeting_id}.wav", tone(40.0, rate=16000, freq=220.0), 16000, "pcm_s16le")
    key = store_input(svc, meeting_id, wav)
    with svc.db.session() as s:
        repo.create_meeting(s, account.account_id, meeting_id=meeting_id, filename="quarterly-review.wav",
                            recording_key=key, status="done", progress=1.0, duration=40.0)
    save_transcript(svc.storage, meeting_id, transcript(lines))
    analysis = Analysis(meeting_id=meeting_id, highlights=highlights() if lines is LINES else [],
                        advocacy=AdvocacyFlag())
    with svc.db.session() as s:  # as the job's update stage does
        rev, _ = apply_with_policy(s, account.account_id, analysis, svc.settings.review_min_confidence,
                                   svc.settings.review_policy == "recommended")
        repo.set_meeting(s, meeting_id, revision=rev.number if rev else None)
    return meeting_id


def users(svc: Services) -> None:
    with svc.db.session() as s:
        create_user(s, "csm@example.com", "csm", PASSWORD)
        create_user(s, "admin@example.com", "admin", PASSWORD)
