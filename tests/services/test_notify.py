"""Email reminders on SQLite and PostgreSQL, sent through a real SMTP server (aiosmtpd on a
free local port) and read back: a clinician's digest of coming deadlines at 90, 30 and 7 days,
HR's weekly digest of its organization's flags; each sent once, only by cetrack itself."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from pydantic import SecretStr
from sqlmodel import select

from cetrack.db.models import AuditEvent, Notice
from cetrack.mail import Mailer, MailError, MailServer, build_message, send_invite
from cetrack.services import credentials, evaluation, notify, people, roster
from cetrack.services.actor import Actor
from cetrack.services.errors import Forbidden
from tests.services.helpers import TODAY
from tests.services.organization import clinic

SENDER = "cetrack@clinic.org"
NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)

# TODAY is 2026-11-22
LICENSES = [
    ("cam@clinic.org", "FL/LMHC", "2026-12-15", "active"),  # 23 days: the 30-day reminder
    ("cam@clinic.org", "TX/LPC", "2026-10-31", "expired"),  # lapsed: HR's, not a reminder
    ("cy@clinic.org", "TX/LPC", "2027-02-10", "active"),  # 80 days: the 90-day reminder
    ("oz@agency.org", "NM/LPCC", "2028-02-15", "active"),  # the other agency's, far off
]


# --- a real SMTP server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the server accepted, as parsed messages; `refuse` names recipients it rejects."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    def take(self) -> list[email.message.EmailMessage]:
        with self._lock:
            taken, self.messages = self.messages, []
        return taken


@pytest.fixture
def smtp_server():
    """(inbox, port) of an SMTP server on 127.0.0.1 for this test only."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def server_at(port: int, **changes) -> MailServer:
    values = {"host": "127.0.0.1", "port": port, "tls": "none", "sender": SENDER, "timeout": 5}
    return MailServer(**(values | changes))


def body_of(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return text.replace("\r\n", "\n")


# --- the records ---------------------------------------------------------------------------


def build(session, workspace):
    place = clinic(session)
    for email_address, rule_id, expires, status in LICENSES:
        person = people.find_person(session, actor=Actor.system(), email=email_address)
        credentials.add_credential(
            session,
            actor=Actor.system(),
            person=person,
            data={"rule_id": rule_id, "expires": expires, "status": status, "number": "1"},
            registry=workspace.registry,
            today=TODAY,
        )
    return place


def plan(session, workspace, today=TODAY):
    return notify.plan_notices(
        session,
        actor=Actor.system(),
        registry=workspace.registry,
        today=today,
        base_url="https://ce.clinic.org",
    )


def run(workspace, port, today=TODAY, now=NOW) -> int:
    """Plan, then send each message in a transaction of its own (as `cetrack notify` does)."""
    with workspace.transaction() as session:
        planned = plan(session, workspace, today)
    sent = 0
    with Mailer(server_at(port)) as mailer:

        def deliver(notice):
            mailer.send(
                build_message(
                    sender=SENDER, to=notice.to_address, subject=notice.subject, body=notice.body
                )
            )

        for notice in planned:
            with workspace.transaction() as session:
                sent += notify.send_notices(
                    session, actor=Actor.system(), planned=[notice], send=deliver, now=now
                )
    return sent


def notices(workspace) -> list[Notice]:
    with workspace.transaction() as session:
        return list(session.exec(select(Notice).order_by(Notice.key)))


def missing_hours(workspace, email_address, rule_id) -> float:
    with workspace.transaction() as session:
        person = people.find_person(session, actor=Actor.system(), email=email_address)
        statuses = evaluation.credential_statuses(
            session, actor=Actor.system(), person=person, registry=workspace.registry, today=TODAY
        )
    found = next(status for status in statuses if status.credential.rule_id == rule_id)
    return found.result.minimal_additional


# --- the digests -----------------------------------------------------------------------------


def test_the_clinician_digest_lists_the_license_and_the_hours_missing(workspace, smtp_server):
    inbox, port = smtp_server
    with workspace.transaction() as session:
        build(session, workspace)
    assert run(workspace, port) == 4  # cam's and cy's digests, hal's and hx's weekly ones
    (cam,) = inbox.to("cam@clinic.org")
    body = body_of(cam)
    assert cam["From"] == SENDER and cam["Auto-Submitted"] == "auto-generated"
    assert "FL/LMHC renewal deadline in 23 days (2026-12-15)" in cam["Subject"]
    assert "Hello Cam," in body
    assert "Deadline: 2026-12-15 (in 23 days)" in body
    missing = missing_hours(workspace, "cam@clinic.org", "FL/LMHC")
    assert missing > 0
    assert f"CE: incomplete, {missing:g} h still needed" in body
    assert " remaining" in body  # the requirements still short, each on its line
    assert "TX/LPC" not in body  # lapsed on the roster: HR's flag, not a reminder
    assert "https://ce.clinic.org" in body
    (cy,) = inbox.to("cy@clinic.org")
    assert "TX/LPC renewal deadline in 80 days (2027-02-10)" in cy["Subject"]
    assert not inbox.to("oz@agency.org")  # 2028: nothing due


def test_the_hr_digest_counts_its_organizations_flags_only(workspace, smtp_server):
    inbox, port = smtp_server
    with workspace.transaction() as session:
        build(session, workspace)
    run(workspace, port)
    (hal,) = inbox.to("hal@clinic.org")
    body = body_of(hal)
    assert hal["Subject"] == "cetrack: Riverside Clinic weekly compliance digest 2026-W47, 9 flags"
    assert "2 people, 3 licenses." in body
    assert "Cam — TX/LPC: 24 h missing, deadline passed 22 days ago (2026-10-31)" in body
    assert "Expired: 1\n" in body
    assert "Expiring within 30 days: 1\n" in body
    assert "Expiring within 90 days: 2\n" in body
    assert "Never verified: 3\n" in body
    assert "Verification overdue: 0\n" in body
    assert "Cam Admin" not in body and "Cam — TX/LPC, expired 2026-10-31" in body
    assert "Cam — FL/LMHC, expires 2026-12-15 (in 23 days)" in body
    assert "CE incomplete (" in body and "h missing, 23 days left" in body
    assert "Oz" not in body  # the other agency's member
    (hx,) = inbox.to("hx@agency.org")
    assert "Oz — NM/LPCC: Never verified" in body_of(hx) and "Cam" not in body_of(hx)
    assert not inbox.to("ada@clinic.org")  # the admin is not HR


def test_a_rerun_sends_nothing_and_next_week_brings_a_new_hr_digest(workspace, smtp_server):
    inbox, port = smtp_server
    with workspace.transaction() as session:
        build(session, workspace)
    assert run(workspace, port) == 4
    first = inbox.take()
    assert run(workspace, port) == 0
    with workspace.transaction() as session:
        assert plan(session, workspace) == []
    assert inbox.take() == []
    recorded = notices(workspace)
    assert {row.kind for row in recorded} == {"clinician", "hr"}
    # cam's 30-day reminder also covers the 90-day one it passed
    cam = [row.key for row in recorded if row.to_address == "cam@clinic.org"]
    assert [key.rsplit(":", 1)[1] for key in sorted(cam)] == ["30", "90"]
    assert all(":2026-12-15:" in key for key in cam)
    assert {row.sent_at.replace(tzinfo=UTC) for row in recorded} == {NOW}
    with workspace.transaction() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "notify")).all()
    assert len(events) == len(first) == 4 and {event.entity for event in events} == {"notice"}
    # a week on: only the weekly digests are new (the deadlines' reminders went out)
    next_week = TODAY + timedelta(days=7)
    assert run(workspace, port, today=next_week) == 2
    again = inbox.take()
    assert sorted(message["To"] for message in again) == ["hal@clinic.org", "hx@agency.org"]
    assert all("2026-W48" in message["Subject"] for message in again)
    assert "(in 16 days)" in body_of(next(m for m in again if m["To"] == "hal@clinic.org"))


def test_each_threshold_is_sent_once_and_a_late_first_run_sends_one_reminder(
    workspace, smtp_server
):
    inbox, port = smtp_server
    with workspace.transaction() as session:
        build(session, workspace)
    # 2026-12-10: cam's license is 5 days off, cy's 62; nothing was sent before
    late = TODAY + timedelta(days=18)
    run(workspace, port, today=late)
    (cam,) = inbox.to("cam@clinic.org")
    assert "in 5 days" in cam["Subject"]
    thresholds = sorted(
        int(row.key.rsplit(":", 1)[1])
        for row in notices(workspace)
        if row.to_address == "cam@clinic.org"
    )
    assert thresholds == [7, 30, 90]
    inbox.take()
    for day in (19, 20, 21, 23):  # the days up to the deadline: nothing more for cam
        run(workspace, port, today=TODAY + timedelta(days=day))
    assert not inbox.to("cam@clinic.org")
    # cy at 30 days, then 7 days, before 2027-02-10
    run(workspace, port, today=TODAY + timedelta(days=50))
    run(workspace, port, today=TODAY + timedelta(days=73))
    assert [m["Subject"] for m in inbox.to("cy@clinic.org")] == [
        "cetrack: TX/LPC renewal deadline in 30 days (2027-02-10)",
        "cetrack: TX/LPC renewal deadline in 7 days (2027-02-10)",
    ]


def test_one_digest_a_run_covers_every_deadline_that_crossed_a_threshold(workspace, smtp_server):
    inbox, port = smtp_server
    with workspace.transaction() as session:
        build(session, workspace)
        cam = people.find_person(session, actor=Actor.system(), email="cam@clinic.org")
        credentials.add_credential(
            session,
            actor=Actor.system(),
            person=cam,
            data={"rule_id": "TX/LMFT", "expires": "2027-01-31", "number": "2"},
            registry=workspace.registry,
            today=TODAY,
        )
    run(workspace, port)
    (digest,) = inbox.to("cam@clinic.org")
    assert digest["Subject"] == (
        "cetrack: 2 renewal deadlines coming up, the first in 23 days (FL/LMHC, 2026-12-15)"
    )
    body = body_of(digest)
    assert body.index("FL/LMHC —") < body.index("TX/LMFT —")  # soonest first
    assert "Deadline: 2027-01-31 (in 70 days)" in body
    keys = sorted(row.key for row in notices(workspace) if row.to_address == "cam@clinic.org")
    assert [key.split(":", 3)[3] for key in keys] == [
        "2026-12-15:30",
        "2026-12-15:90",
        "2027-01-31:90",
    ]


def test_the_next_cycle_is_reminded_again(workspace, smtp_server):
    inbox, port = smtp_server
    with workspace.transaction() as session:
        place = build(session, workspace)
        hr = place.actor(session, "hal@clinic.org")
        cy = people.find_person(session, actor=hr, email="cy@clinic.org")
        (license,) = credentials.list_credentials(session, actor=Actor.system(), person=cy)
    run(workspace, port)
    assert len(inbox.to("cy@clinic.org")) == 1
    inbox.take()
    with workspace.transaction() as session:  # renewed: the next deadline is two years on
        credentials.update_credential(
            session,
            actor=Actor.system(),
            credential_id=license.id,
            data={"rule_id": "TX/LPC", "expires": "2029-02-10", "number": "1"},
            registry=workspace.registry,
            today=TODAY,
            expected_version=None,
        )
    run(workspace, port, today=TODAY + timedelta(days=780))  # 2029-01-11: 30 days left
    (again,) = inbox.to("cy@clinic.org")
    assert "(2029-02-10)" in again["Subject"]


def test_deactivated_members_and_closed_accounts_get_nothing(workspace, smtp_server):
    inbox, port = smtp_server
    with workspace.transaction() as session:
        place = build(session, workspace)
        admin = place.actor(session, "ada@clinic.org")
        rows = roster.members(session, actor=admin, organization=place.organization)
        cam = next(row for row in rows if row.email == "cam@clinic.org")
        roster.set_member_active(
            session, actor=admin, membership_id=cam.membership_id, active=False
        )
    run(workspace, port)
    assert not inbox.to("cam@clinic.org")
    assert inbox.to("cy@clinic.org")
    assert "Cam" not in body_of(inbox.to("hal@clinic.org")[0])  # no longer on the roster


def test_a_message_the_server_refuses_is_not_recorded_and_the_rest_go_on(workspace, smtp_server):
    inbox, port = smtp_server
    inbox.refuse.add("cam@clinic.org")
    with workspace.transaction() as session:
        build(session, workspace)
        planned = plan(session, workspace)
    failures = []
    with Mailer(server_at(port)) as mailer, workspace.transaction() as session:
        sent = notify.send_notices(
            session,
            actor=Actor.system(),
            planned=planned,
            send=lambda notice: mailer.send(
                build_message(sender=SENDER, to=notice.to_address, subject="s", body=notice.body)
            ),
            now=NOW,
            failed=lambda notice, error: failures.append((notice.to_address, error)),
        )
    assert sent == 3 and len(inbox.messages) == 3
    ((address, error),) = failures
    assert address == "cam@clinic.org" and error.per_message
    assert "refused cam@clinic.org (550 5.1.1 no such mailbox here)" in str(error)
    assert "cam@clinic.org" not in {row.to_address for row in notices(workspace)}
    inbox.refuse.clear()  # the next run sends what failed, and only that
    assert run(workspace, port) == 1
    assert [message["To"] for message in inbox.messages[3:]] == ["cam@clinic.org"]


def test_a_concurrent_run_that_recorded_a_message_first_makes_this_one_skip_it(workspace):
    with workspace.transaction() as session:
        build(session, workspace)
        planned = plan(session, workspace)
    sent = []
    with workspace.transaction() as session:
        assert notify.send_notices(
            session, actor=Actor.system(), planned=planned[:1], send=sent.append, now=NOW
        )
    with workspace.transaction() as session:  # an older plan: its first message went out
        count = notify.send_notices(
            session, actor=Actor.system(), planned=planned, send=sent.append, now=NOW
        )
    assert count == len(planned) - 1
    assert [notice.to_address for notice in sent] == [n.to_address for n in planned]


def test_only_cetrack_itself_plans_or_sends_reminders(workspace):
    with workspace.transaction() as session:
        place = build(session, workspace)
        for email_address in ("cam@clinic.org", "hal@clinic.org", "ada@clinic.org"):
            actor = place.actor(session, email_address)
            with pytest.raises(Forbidden):
                notify.plan_notices(session, actor=actor, registry=workspace.registry, today=TODAY)
            with pytest.raises(Forbidden):
                notify.send_notices(session, actor=actor, planned=[], send=print, now=NOW)
        cam = people.find_person(session, actor=Actor.system(), email="cam@clinic.org")
        with pytest.raises(Forbidden):  # nor the single-user clinician
            notify.plan_notices(
                session, actor=Actor.local(cam), registry=workspace.registry, today=TODAY
            )
    assert notices(workspace) == []


# --- the mail server's failures ------------------------------------------------------------

MESSAGE = build_message(sender=SENDER, to="a@b.org", subject="hello", body="b")


def send_one(server: MailServer, message=MESSAGE) -> None:
    with Mailer(server) as mailer:
        mailer.send(message)


def test_a_message_is_plain_text_with_one_line_headers(smtp_server):
    inbox, port = smtp_server
    message = build_message(
        sender=SENDER, to="jose@clinic.org", subject="Clínica\nBcc: x@evil.org", body="Olá, José"
    )
    send_one(server_at(port), message)
    (received,) = inbox.messages
    assert received["Subject"] == "Clínica Bcc: x@evil.org" and received["Bcc"] is None
    assert body_of(received) == "Olá, José\n"
    assert received["Message-ID"].endswith("@clinic.org>")


def test_an_unreachable_server_is_one_sentence_without_the_password():
    port = free_port()  # nothing listens there
    server = server_at(port, user="mailer", password=SecretStr("s3cret-pass"))
    with pytest.raises(MailError) as caught:
        send_one(server)
    text = str(caught.value)
    assert text == f"cannot reach the mail server 127.0.0.1:{port}: connection refused"
    assert not caught.value.per_message and "s3cret" not in text + repr(server)


def test_starttls_and_ssl_against_a_plain_server_say_what_to_change(smtp_server):
    _, port = smtp_server
    with pytest.raises(MailError, match="does not offer STARTTLS; set CETRACK_SMTP_TLS"):
        send_one(server_at(port, tls="starttls"))
    with pytest.raises(MailError, match=r"the TLS handshake with the mail server \S+ failed"):
        send_one(server_at(port, tls="ssl"))


@pytest.fixture
def signing_in_server():
    """An SMTP server that takes the password "right one" for user "mailer"."""
    inbox = Inbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"mailer" and auth_data.password == b"right one"
        return AuthResult(success=ok, handled=False)  # unhandled: the server answers 535

    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_require_tls=False,  # on loopback, as the mailer allows: no certificate to make
    )
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_signing_in_to_the_server_and_a_refused_password(signing_in_server):
    inbox, port = signing_in_server
    send_one(server_at(port, user="mailer", password=SecretStr("right one")))
    assert [message["Subject"] for message in inbox.messages] == ["hello"]
    with pytest.raises(MailError) as caught:
        send_one(server_at(port, user="mailer", password=SecretStr("wrong one")))
    assert "refused the sign-in of mailer (535" in str(caught.value)
    assert "wrong one" not in str(caught.value)


def test_the_password_is_not_sent_unencrypted_to_another_host():
    server = server_at(25, host="mail.example.org", user="mailer", password=SecretStr("pw"))
    with pytest.raises(MailError, match=r"refusing to send the SMTP password to mail\.example"):
        send_one(server)  # refused before any connection is tried


def test_an_invite_is_emailed_with_its_link(smtp_server):
    inbox, port = smtp_server
    send_invite(
        server_at(port),
        to="nia@clinic.org",
        link="https://cetrack.clinic.org/?invite=abc",
        organization="Riverside Clinic",
        days=7,
    )
    (message,) = inbox.to("nia@clinic.org")
    assert message["Subject"] == "Your cetrack account at Riverside Clinic"
    assert "https://cetrack.clinic.org/?invite=abc" in body_of(message)
    assert "expires in 7 days" in body_of(message)
