"""`kb mail`: the .eml files written, every refusal in plain words, and --send delivering to a local SMTP server
(aiosmtpd on a free loopback port, started and stopped here)."""

from __future__ import annotations

import email
from email import policy

import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from kb.cli.main import main
from tests.browser.conftest import free_port
from tests.cycle_fixture import DRAFT_MARKER, MEMBERS_MARKER, write_cycle

SENDER = "equity-convener@school.example"


def run(project, *args, env=None):
    return CliRunner().invoke(main, ["--project", str(project.root), "mail", *args], env={"KB_MAIL_FROM": None, **(env or {})})


@pytest.fixture
def cycle(project):
    write_cycle(project)
    return project


def read(path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def test_writes_a_ready_to_send_eml(cycle, tmp_path):
    result = run(cycle, "agenda", "minutes/equity/2026-12-03", "--out", str(tmp_path), "--from", SENDER)
    assert result.exit_code == 0, result.output
    path = tmp_path / "equity-2026-12-03-agenda.eml"
    assert f"Wrote {path}: Agenda for the Equity meeting, Thursday 3 December 2026" in result.output
    assert "record it in content/minutes/equity/2026-12-03.md:  agenda_published: 2026-11-23" in result.output
    assert b"\r\n" in path.read_bytes()  # CRLF line ends, as mail programs expect
    msg = read(path)
    assert msg["To"] == "equity-network@lists.example.org" and msg["X-Unsent"] == "1"
    assert (
        "https://learning.example.org/minutes/equity/2026-12-03/" in msg.get_body(("plain",)).get_content()
    )  # site_url of mkdocs.yml
    (part,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert icalendar.Calendar.from_ical(part.get_content())["METHOD"] == "REQUEST"


@pytest.mark.parametrize(
    "kind, ref, name",
    [
        ("reminder", "content/minutes/equity/2026-12-03.md", "equity-2026-12-03-reminder.eml"),  # the file's path works too
        ("minutes", "minutes/careers/2026-09-24/", "careers-2026-09-24-minutes.eml"),
    ],
)
def test_each_kind_and_both_ways_of_naming_the_meeting(cycle, tmp_path, kind, ref, name):
    result = run(cycle, kind, ref, "--out", str(tmp_path), env={"KB_MAIL_FROM": SENDER})
    assert result.exit_code == 0, result.output
    assert read(tmp_path / name)["From"] == SENDER


@pytest.mark.parametrize(
    "args, env, words",
    [
        (["minutes/equity/2026-12-10"], {}, "is not published (status: draft): publish it first"),
        (["minutes/equity/2026-11-05"], {}, "is members-only: add --members"),
        (
            ["minutes/equity/2026-12-04"],
            {},
            "there is no meeting minutes/equity/2026-12-04. Did you mean minutes/equity/2026-12-03?",
        ),
        (["equity 3 December"], {}, "is not a meeting reference: write it like minutes/equity/2026-12-03"),
        (["minutes/equity/2026-12-03", "--from", "not an address"], {}, "needs a sender's address"),
        (["minutes/send/2026-11-30"], {}, "is cancelled"),
        (["minutes/equity/2026-12-03", "--site-url", "kb.example.org"], {}, "needs the site's address"),
    ],
)
def test_refusals_are_plain_words_and_write_nothing(cycle, tmp_path, args, env, words):
    sender = [] if "--from" in args else ["--from", SENDER]
    result = run(cycle, "agenda", *args, "--out", str(tmp_path / "out"), *sender, env=env)
    assert result.exit_code == 1 and words in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_members_meetings_need_members_and_drafts_never(cycle, tmp_path):
    result = run(cycle, "minutes", "minutes/equity/2026-11-05", "--out", str(tmp_path), "--from", SENDER, "--members")
    assert result.exit_code == 0, result.output
    assert MEMBERS_MARKER in read(tmp_path / "equity-2026-11-05-minutes.eml").get_body(("plain",)).get_content()
    draft = run(cycle, "agenda", "minutes/equity/2026-12-10", "--out", str(tmp_path), "--from", SENDER, "--members")
    assert draft.exit_code == 1 and "publish it first" in draft.output
    assert not any(DRAFT_MARKER in p.read_text() for p in tmp_path.glob("*.eml"))


def test_a_project_with_errors_mails_nothing(cycle, tmp_path):
    cycle.write(
        "content/minutes/equity/2026-09-17.md",
        (cycle.root / "content/minutes/equity/2026-09-17.md").read_text().replace("#action-5", "#action-9"),
    )
    result = run(cycle, "minutes", "minutes/equity/2026-09-17", "--out", str(tmp_path), "--from", SENDER)
    assert result.exit_code == 1 and "the project has 1 error(s), so nothing is mailed" in result.output


class Inbox:
    """An aiosmtpd handler keeping what it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A local SMTP server on a free loopback port; yields (port, inbox); stopped afterwards."""
    inbox = Inbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"convener" and auth_data.password == b"right"
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 235 or 535 itself

    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_require_tls=False,
        auth_exclude_mechanism=["LOGIN"],
    )
    controller.start()
    yield controller.port, inbox
    controller.stop()


def test_send_delivers_to_a_local_smtp_server(cycle, tmp_path, smtp_server):
    port, inbox = smtp_server
    env = {"KB_SMTP_HOST": "127.0.0.1", "KB_SMTP_PORT": str(port), "KB_SMTP_SECURITY": "none"}
    result = run(cycle, "agenda", "minutes/equity/2026-12-03", "--out", str(tmp_path), "--from", SENDER, "--send", env=env)
    assert result.exit_code == 0, result.output
    assert "Sent to equity-network@lists.example.org." in result.output
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == SENDER and envelope.rcpt_tos == ["equity-network@lists.example.org"]
    delivered = email.message_from_bytes(envelope.content, policy=policy.default)
    assert delivered["Subject"] == "Agenda for the Equity meeting, Thursday 3 December 2026"
    assert delivered["X-Unsent"] is None  # a note to Outlook for the .eml only
    assert delivered.get_body(("html",)) is not None and any(p.get_content_type() == "text/calendar" for p in delivered.walk())
    assert read(tmp_path / "equity-2026-12-03-agenda.eml")["X-Unsent"] == "1"  # the file is written too


def test_send_logs_in_when_asked(cycle, tmp_path, smtp_server):
    port, inbox = smtp_server
    env = {"KB_SMTP_HOST": "127.0.0.1", "KB_SMTP_PORT": str(port), "KB_SMTP_SECURITY": "none", "KB_SMTP_USER": "convener"}
    wrong = run(
        cycle,
        "reminder",
        "minutes/equity/2026-12-03",
        "--out",
        str(tmp_path),
        "--from",
        SENDER,
        "--send",
        env={**env, "KB_SMTP_PASSWORD": "wrong"},
    )
    assert wrong.exit_code == 1 and "refused the login: check KB_SMTP_USER and KB_SMTP_PASSWORD" in wrong.output
    assert inbox.envelopes == []
    right = run(
        cycle,
        "reminder",
        "minutes/equity/2026-12-03",
        "--out",
        str(tmp_path),
        "--from",
        SENDER,
        "--send",
        env={**env, "KB_SMTP_PASSWORD": "right"},
    )
    assert right.exit_code == 0, right.output
    assert len(inbox.envelopes) == 1


@pytest.mark.parametrize(
    "env, words",
    [
        ({}, "--send needs the mail server: set KB_SMTP_HOST"),
        (
            {"KB_SMTP_HOST": "127.0.0.1", "KB_SMTP_SECURITY": "tls1.3"},
            "KB_SMTP_SECURITY is 'tls1.3'; write starttls, ssl or none",
        ),
        ({"KB_SMTP_HOST": "127.0.0.1", "KB_SMTP_PORT": "smtp"}, "KB_SMTP_PORT is 'smtp'"),
        (
            {"KB_SMTP_HOST": "127.0.0.1", "KB_SMTP_PORT": "{closed}", "KB_SMTP_SECURITY": "none"},
            "the message was written but not sent",
        ),
        ({"KB_SMTP_HOST": "127.0.0.1", "KB_SMTP_PORT": "{open}"}, "does not offer STARTTLS"),  # the default asks for STARTTLS
    ],
)
def test_send_failures_are_plain_words(cycle, tmp_path, smtp_server, env, words):
    port, inbox = smtp_server
    env = {k: v.format(closed=free_port(), open=port) for k, v in {"KB_SMTP_HOST": None, **env}.items() if v is not None} | (
        {} if "KB_SMTP_HOST" in env else {"KB_SMTP_HOST": None}
    )
    result = run(cycle, "minutes", "minutes/equity/2026-09-17", "--out", str(tmp_path), "--from", SENDER, "--send", env=env)
    assert result.exit_code == 1 and words in result.output, result.output
    assert "Traceback" not in result.output and inbox.envelopes == []
    assert (tmp_path / "equity-2026-09-17-minutes.eml").exists()


def test_send_refuses_a_network_with_no_mailing_list(cycle, tmp_path, smtp_server):
    port, inbox = smtp_server
    env = {"KB_SMTP_HOST": "127.0.0.1", "KB_SMTP_PORT": str(port), "KB_SMTP_SECURITY": "none"}
    result = run(cycle, "minutes", "minutes/send/2026-10-15", "--out", str(tmp_path), "--from", SENDER, "--send", env=env)
    assert result.exit_code == 1 and "the network has no mailing_list" in result.output and inbox.envelopes == []
