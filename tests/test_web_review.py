"""The review pages in a real browser (Debian's Chromium via pytest-playwright) over a seeded store:
play at a quote, reject a stakeholder change, edit a goal shift, review a meeting by keyboard,
markup in a speaker name, axe on every page, screenshots of every page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import LAUNCH, need_chromium, screenshot, serious_violations, sign_in
from web_app import live_server, page_services, web_app
from web_seed import ACCOUNT, LINES, PASSWORD, seed, users

from worker.db import repo
from worker.review_policy import set_policy

pytestmark = [pytest.mark.e2e]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    need_chromium()
    return {**browser_type_launch_args, **LAUNCH}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A live server over a store with three accounts, each with one reviewed-to-be meeting."""
    tmp: Path = tmp_path_factory.mktemp("web")
    svc = page_services(tmp, review_policy="recommended")  # stakeholder changes wait by default
    users(svc)
    waiting = ACCOUNT.model_copy(update={"account_id": "acct-policy", "name": "Pending Pastries"})
    meetings = {"policy": seed(svc, tmp, meeting_id="m_policy000000001", account=waiting)}  # default policy
    with svc.db.session() as s:  # the other accounts: a team that lets stakeholder changes in at once
        set_policy(s, "stakeholder_change", "apply", 0.6)
    meetings["main"] = seed(svc, tmp)
    keyboard = ACCOUNT.model_copy(update={"account_id": "acct-keys", "name": "Keystone Foods"})
    meetings["keys"] = seed(svc, tmp, meeting_id="m_keyboard00000001", account=keyboard)
    marked = ACCOUNT.model_copy(update={"account_id": "acct-markup", "name": "Markup Mills"})
    lines = [("<script>alert(1)</script>", "customer", 0.0, "<b>bold</b> claims & more"), *LINES[1:3]]
    meetings["markup"] = seed(svc, tmp, lines=lines, meeting_id="m_markup000000001", account=marked)
    with live_server(web_app(svc)) as base:
        yield base, svc, meetings


@pytest.fixture
def csm(page, site):
    base, _, _ = site
    sign_in(page, base, "csm@example.com", PASSWORD)
    return page


def test_sign_in_then_accounts_page(page, site):
    base, _, _ = site
    page.goto(f"{base}/")
    page.wait_for_url(re.compile(r"/signin"))
    screenshot(page, "signin")
    assert serious_violations(page) == []
    sign_in(page, base, "csm@example.com", PASSWORD)
    row = page.get_by_role("row", name=re.compile("Lumen Bakeries"))
    assert "1 high" in row.inner_text() and "mid touch" in row.inner_text()
    assert "5 waiting" in row.inner_text()
    screenshot(page, "accounts")
    assert serious_violations(page) == []


def test_play_at_a_quote_moves_the_player(csm, site):
    base, _, meetings = site
    csm.goto(f"{base}/meetings/{meetings['main']}")
    csm.wait_for_function("document.getElementById('player').readyState >= 1")
    card = csm.locator(".highlight", has_text="Ordering is twice as fast")
    card.get_by_role("button", name=re.compile("Play from")).click()
    csm.wait_for_function("Math.abs(document.getElementById('player').currentTime - 23.0) < 1.0")
    assert abs(csm.evaluate("document.getElementById('player').currentTime") - 23.0) < 1.0
    csm.locator(".turn", has_text="usage report").click()  # a transcript line seeks too
    csm.wait_for_function("document.getElementById('player').currentTime >= 27.5")


def person(page, name: str):
    """The stakeholder list item of ``name`` (not items whose source quote mentions them)."""
    return page.locator("li.stakeholder").filter(
        has=page.locator("strong", has_text=re.compile(f"^{re.escape(name)}$")))


def test_reject_stakeholder_change_reverts_the_account(csm, site):
    base, _, meetings = site
    csm.goto(f"{base}/accounts/{ACCOUNT.account_id}")
    tom = person(csm, "Tom Becker")
    assert "departed" in tom.inner_text()
    assert person(csm, "Lia Chen").count() == 1
    csm.goto(f"{base}/meetings/{meetings['main']}")
    card = csm.locator(".highlight", has_text="Tom Becker left us")
    card.get_by_role("button", name="Reject").click()
    csm.locator(".highlight", has_text="Tom Becker left us").get_by_text("rejected", exact=True).wait_for()
    csm.goto(f"{base}/accounts/{ACCOUNT.account_id}")
    tom = person(csm, "Tom Becker")
    assert "departed" not in tom.inner_text()
    assert person(csm, "Lia Chen").count() == 0
    assert "rejected" in csm.locator("#history-h + ol li").first.inner_text()


def test_edit_goal_shift_makes_a_new_revision(csm, site):
    base, svc, meetings = site
    with svc.db.session() as s:
        before = repo.account_state(s, ACCOUNT.account_id)[1]
    csm.goto(f"{base}/meetings/{meetings['main']}")
    card = csm.locator(".highlight", has_text="kitchen plan moved")
    card.get_by_text("Edit what goes into the record").click()
    card.get_by_label("Goal").fill("Open three new central kitchens by spring")
    card.get_by_role("button", name="Save edit").click()
    csm.locator(".highlight", has_text="kitchen plan moved").get_by_text(
        f"revision {before + 1}").wait_for()
    screenshot(csm, "meeting")
    csm.goto(f"{base}/accounts/{ACCOUNT.account_id}")
    goal = csm.locator("#goal-g1")
    assert "Open three new central kitchens by spring" in goal.inner_text()
    newest = csm.locator("#history-h + ol li").first
    assert f"Revision {before + 1}" in newest.inner_text() and "edited" in newest.inner_text()
    assert "Open one new central kitchen" in newest.inner_text()  # the diff shows what it was
    goal.get_by_text("Where this came from").click()
    screenshot(csm, "account")
    assert serious_violations(csm) == []
    goal.get_by_role("link", name=re.compile("at 0:04")).click()  # provenance opens the meeting there
    csm.wait_for_url(re.compile(r"/meetings/.*\?t=4"))
    csm.wait_for_function("document.getElementById('player').currentTime >= 3.9")


def test_keyboard_only_review_of_a_whole_meeting(csm, site):
    base, svc, meetings = site
    csm.goto(f"{base}/meetings/{meetings['keys']}")
    count = csm.locator(".highlight").count()
    assert count == 5
    csm.keyboard.press("j")
    for k in range(count):
        csm.keyboard.press("a")
        csm.locator(".highlight.current").get_by_text("accepted", exact=True).wait_for()
        if k < count - 1:
            csm.keyboard.press("j")
    with svc.db.session() as s:
        statuses = {h.review_status for h in repo.highlights(s, meetings["keys"])}
    assert statuses == {"accepted"}
    csm.keyboard.press("k")
    csm.keyboard.press("e")
    assert csm.evaluate("document.activeElement.closest('details.edit') !== null")
    csm.keyboard.press("Escape")
    assert serious_violations(csm) == []


def test_markup_in_a_speaker_name_renders_as_text(csm, site):
    base, _, meetings = site
    dialogs: list[str] = []
    csm.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    csm.goto(f"{base}/meetings/{meetings['markup']}")
    assert csm.locator(".turn .who").first.inner_text() == "<script>alert(1)</script>"
    assert "<b>bold</b> claims & more" in csm.locator(".turn .text").first.inner_text()
    assert csm.locator(".turn b").count() == 0
    assert dialogs == []


def test_upload_and_admin_pages(page, site):
    base, _, _ = site
    sign_in(page, base, "admin@example.com", PASSWORD)
    page.goto(f"{base}/upload")
    screenshot(page, "upload")
    assert serious_violations(page) == []
    page.goto(f"{base}/admin/users")
    screenshot(page, "users")
    assert serious_violations(page) == []
    page.goto(f"{base}/admin/policy")
    screenshot(page, "policy")
    assert serious_violations(page) == []


def test_phone_width_meeting_page(browser, site):
    base, _, meetings = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    sign_in(phone, base, "csm@example.com", PASSWORD)
    phone.goto(f"{base}/meetings/{meetings['keys']}")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(phone, "meeting-phone")
    context.close()


def test_a_stakeholder_change_waits_as_a_proposal_until_accepted(csm, site):
    base, _, meetings = site
    csm.goto(f"{base}/")
    row = csm.get_by_role("row", name=re.compile("Pending Pastries"))
    assert "1 proposed, not in the record" in row.inner_text()
    csm.goto(f"{base}/accounts/acct-policy")
    assert "departed" not in person(csm, "Tom Becker").inner_text()  # not applied yet
    proposal = csm.locator("li.proposal", has_text="Tom Becker left us")
    proposal.get_by_role("link", name=re.compile("review in meeting")).click()
    card = csm.locator(".highlight", has_text="Tom Becker left us")
    assert "proposal" in card.inner_text()
    card.get_by_role("button", name="Accept").click()
    csm.locator(".highlight", has_text="Tom Becker left us").get_by_text("accepted", exact=True).wait_for()
    csm.goto(f"{base}/accounts/acct-policy")
    assert "departed" in person(csm, "Tom Becker").inner_text()
    assert csm.locator("li.proposal").count() == 0
    assert "proposal" in csm.locator("#history-h + ol li").first.inner_text()
