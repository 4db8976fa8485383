"""Bad input through the pages: non-audio uploads, forms without their CSRF token, markup in
names, roles; sign-in with users and API tokens; the tables match the migrations."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from web_app import page_services, web_app
from web_seed import ACCOUNT, PASSWORD, seed, users

from worker.db import repo
from worker.db.models import MeetingRow
from worker.db.users import authenticate, create_user
from worker.passwords import WeakPasswordError, hash_password, verify_password
from worker.tokens import create_token


@pytest.fixture
def world(tmp_path):
    svc = page_services(tmp_path)
    users(svc)
    meeting_id = seed(svc, tmp_path)
    return svc, meeting_id, tmp_path


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def signed_in(svc, email: str = "csm@example.com", password: str = PASSWORD, token: str = "") -> TestClient:
    client = TestClient(web_app(svc))
    form = client.get("/signin")
    done = client.post("/signin", data={"csrf": csrf_of(form.text), "email": email, "password": password,
                                        "token": token, "next": "/"})
    assert done.status_code == 200 and done.url.path == "/", done.text[:500]
    return client


def test_passwords_are_salted_scrypt_and_checked():
    one, two = hash_password("a long enough secret"), hash_password("a long enough secret")
    assert one.startswith("scrypt$") and one != two
    assert verify_password("a long enough secret", one)
    assert not verify_password("a long enough secreT", one)
    assert not verify_password("anything", "not-a-hash")
    with pytest.raises(WeakPasswordError):
        hash_password("short")


def test_sign_in_needs_the_right_password_and_sets_a_safe_cookie(world):
    svc, _, _ = world
    client = TestClient(web_app(svc))
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/signin")
    form = client.get("/signin")
    wrong = client.post("/signin", data={"csrf": csrf_of(form.text), "email": "csm@example.com",
                                         "password": "not the password"})
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.text
    form = client.get("/signin")
    ok = client.post("/signin", data={"csrf": csrf_of(form.text), "email": "CSM@example.com ",
                                      "password": PASSWORD, "next": "https://evil.example/"},
                     follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/"  # no open redirect
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    with svc.db.session() as s:
        assert authenticate(s, "csm@example.com", "nope") is None


def test_sign_in_form_without_its_token_is_refused(world):
    svc, _, _ = world
    client = TestClient(web_app(svc))
    client.get("/signin")
    refused = client.post("/signin", data={"email": "csm@example.com", "password": PASSWORD})
    assert refused.status_code == 403
    assert "aw_session" not in client.cookies


def test_forms_without_their_csrf_token_are_refused_and_change_nothing(world):
    svc, meeting_id, _ = world
    client = signed_in(svc)
    with svc.db.session() as s:
        first = repo.highlights(s, meeting_id)[0].highlight_id
        before = repo.account_state(s, ACCOUNT.account_id)[1]
    url = f"/meetings/{meeting_id}/highlights/{first}/review"
    assert client.post(url, data={"decision": "rejected"}).status_code == 403
    assert client.post(url, data={"decision": "rejected", "csrf": "forged"}).status_code == 403
    with svc.db.session() as s:
        assert repo.highlights(s, meeting_id)[0].review_status == "pending"
        assert repo.account_state(s, ACCOUNT.account_id)[1] == before
    token = csrf_of(client.get(f"/meetings/{meeting_id}").text)
    assert client.post(url, data={"decision": "rejected", "csrf": token}).status_code == 200
    with svc.db.session() as s:
        assert repo.account_state(s, ACCOUNT.account_id)[1] == before + 1
    again = client.post(url, data={"decision": "accepted", "csrf": token})  # as the API: final
    assert again.status_code == 400 and "rejection is final" in again.text


def test_markup_in_a_transcript_is_escaped(world):
    svc, _, tmp = world
    lines = [("<script>alert(1)</script>", "customer", 0.0, "<img src=x onerror=alert(2)>")]
    other = ACCOUNT.model_copy(update={"account_id": "acct-xss", "name": "<i>Italic</i> Inc"})
    meeting_id = seed(svc, tmp, lines=lines, meeting_id="m_xss0000000000001", account=other)
    client = signed_in(svc)
    html = client.get(f"/meetings/{meeting_id}").text
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<i>Italic</i>" not in client.get("/").text


def test_a_csm_cannot_reach_admin_pages(world):
    svc, _, _ = world
    client = signed_in(svc)
    assert client.get("/admin/users").status_code == 403
    token = csrf_of(client.get("/").text)
    made = client.post("/admin/users", data={"csrf": token, "email": "x@example.com", "role": "admin",
                                             "password": "0123456789ab"})
    assert made.status_code == 403
    admin = signed_in(svc, "admin@example.com")
    assert admin.get("/admin/users").status_code == 200
    with svc.db.session() as s:
        assert authenticate(s, "x@example.com", "0123456789ab") is None


def test_api_token_sign_in_keeps_the_tokens_scope(world):
    svc, meeting_id, _ = world
    with svc.db.session() as s:
        _, read = create_token(s, "viewer", "read")
        _, write = create_token(s, "reviewer", "write")
    viewer = signed_in(svc, token=read)
    page = viewer.get(f"/meetings/{meeting_id}")
    assert page.status_code == 200 and "token:viewer" in page.text
    assert 'data-key="a"' not in page.text  # a read-only sign-in is offered no review buttons
    with svc.db.session() as s:
        first = repo.highlights(s, meeting_id)[0].highlight_id
    refused = viewer.post(f"/meetings/{meeting_id}/highlights/{first}/review",
                          data={"decision": "accepted", "csrf": csrf_of(page.text)})
    assert refused.status_code == 403 and "read-only" in refused.text
    reviewer = signed_in(svc, token=write)
    page = reviewer.get(f"/meetings/{meeting_id}")
    ok = reviewer.post(f"/meetings/{meeting_id}/highlights/{first}/review",
                       data={"decision": "accepted", "csrf": csrf_of(page.text)})
    assert ok.status_code == 200
    client = TestClient(web_app(svc))
    form = client.get("/signin")
    bad = client.post("/signin", data={"csrf": csrf_of(form.text), "token": "aw_not-a-token"})
    assert bad.status_code == 401


def test_non_audio_upload_is_refused_with_a_message_and_creates_nothing(world):
    svc, _, tmp = world
    client = signed_in(svc)
    token = csrf_of(client.get("/upload").text)
    with svc.db.session() as s:
        before = s.query(MeetingRow).count()
    objects = sorted((tmp / "data" / "objects").rglob("*"))
    for name, body in (("notes.pdf", b"%PDF-1.4 not a recording"), ("photo.png", b"\x89PNG\r\n\x1a\n...")):
        r = client.post("/upload", data={"account_id": ACCOUNT.account_id},
                        files={"file": (name, body, "application/octet-stream")},
                        headers={"Accept": "application/json", "X-CSRF-Token": token})
        assert r.status_code == 415
        message = r.json()["error"]["message"]
        assert name in message and "send audio or video" in message
    no_token = client.post("/upload", data={"account_id": ACCOUNT.account_id},
                           files={"file": ("a.wav", b"RIFF", "audio/wav")})
    assert no_token.status_code == 403
    with svc.db.session() as s:
        assert s.query(MeetingRow).count() == before
    assert sorted((tmp / "data" / "objects").rglob("*")) == objects


def test_user_create_command(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    env = {"AW_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(Path(__file__).parents[1]),
           "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "worker.cli", "user", "create", "--email", "lee@example.com",
           "--role", "csm", "--password-stdin"]
    made = subprocess.run(run, input="a strong passphrase\n", env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    again = subprocess.run(run, input="a strong passphrase\n", env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "already exists" in again.stderr
    svc = page_services(tmp_path)
    with svc.db.session() as s:
        user = authenticate(s, "lee@example.com", "a strong passphrase")
        assert user is not None and user.role == "csm"
        with pytest.raises(ValueError):
            create_user(s, "bad@example.com", "owner", "a strong passphrase")


def test_tables_match_the_migrations(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from worker.db.models import Base

    svc = page_services(tmp_path)
    with svc.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_a_failed_job_says_why_and_what_to_do(world):
    svc, _, _ = world
    with svc.db.session() as s:
        repo.create_meeting(s, ACCOUNT.account_id, meeting_id="m_failed000000001", filename="call.m4a",
                            status="failed", error="call.m4a: no audio track; export the call with sound")
        repo.create_meeting(s, ACCOUNT.account_id, meeting_id="m_running00000001", filename="next.wav",
                            status="running", stage="transcribe", progress=0.4)
    client = signed_in(svc)
    failed = client.get("/meetings/m_failed000000001/status").text
    assert "no audio track" in failed and "What to do" in failed and "hx-trigger" not in failed
    running = client.get("/meetings/m_running00000001/status").text
    assert 'hx-trigger="every 1s"' in running and "40%" in running
    assert 'class="current">transcribe' in running
    assert "no audio track" in client.get("/meetings/m_failed000000001").text
