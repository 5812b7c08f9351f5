"""Publishing that cannot freeze: reminders and drafts never block, and the nightly rebuild
always moves the live site on to tonight's date, telling the editors by e-mail.

Everything is real: the site is deployed over OpenSSH to a folder on 127.0.0.1 (the sshd of
the deploy tests), the content lives in a git repository pulled like a real one, and the
e-mail goes through an aiosmtpd server with STARTTLS and a login.
"""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.conftest import ROOT
from tests.deploy import conftest as deploy_fixtures
from tests.deploy.conftest import Sshd, cli_env, free_port
from uchastvai.core.dates import long_date
from uchastvai.editors.mail import MailError, MailSettings, send

BROKEN = ROOT / "tests" / "broken" / "consultations" / "period-of-13-days.md"
BROKEN_PROJECT = ROOT / "tests" / "broken" / "projects" / "money-off-by-a-cent.md"
SITE = "Участвай – Община Асеновград"
sshd = deploy_fixtures.sshd  # the deploy tests' OpenSSH server on 127.0.0.1
SMTP_USER, SMTP_PASSWORD = "nightly", "test-only-secret"  # a throwaway account of a throwaway server


# --- a real SMTP server ------------------------------------------------------------------------


@dataclass
class Inbox:
    """What the server received, parsed as a mail program would."""

    port: int
    cafile: Path
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def env(self) -> dict[str, str]:
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.port),
            "SMTP_SECURITY": "starttls",
            "SMTP_USER": SMTP_USER,
            "SMTP_PASSWORD": SMTP_PASSWORD,
            "SMTP_CAFILE": str(self.cafile),
            "MAIL_FROM": "uchastvai@asenovgrad.example",
            "MAIL_TO": "redaktori@asenovgrad.example, it@asenovgrad.example",
        }


def body_of(message: EmailMessage) -> str:
    """The body with the line ends of the wire (CRLF) as in the text that was sent."""
    return message.get_content().replace("\r\n", "\n")


def _login(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (SMTP_USER.encode(), SMTP_PASSWORD.encode())
    return AuthResult(success=ok)


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[Inbox]:
    """aiosmtpd on a free port of 127.0.0.1: STARTTLS required (self-signed certificate), login required."""
    import ssl

    cert, key = tmp_path / "smtp-cert.pem", tmp_path / "smtp-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Inbox(free_port(), cert)
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=box.port,
        tls_context=context,
        require_starttls=True,
        authenticator=_login,
        auth_required=True,
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def test_mail_goes_through_starttls_with_login_in_bulgarian(inbox: Inbox) -> None:
    settings = MailSettings.from_settings({}, inbox.env())
    assert settings is not None
    send(settings, "Участвай: напомняния", "Срокът за справка изтече.\n")
    [message] = inbox.messages
    assert message["Subject"] == "Участвай: напомняния"
    assert message["To"] == "redaktori@asenovgrad.example, it@asenovgrad.example"
    assert body_of(message) == "Срокът за справка изтече.\n"


def test_a_wrong_smtp_password_is_a_bulgarian_error(inbox: Inbox) -> None:
    settings = MailSettings.from_settings({}, {**inbox.env(), "SMTP_PASSWORD": "wrong"})
    assert settings is not None
    with pytest.raises(MailError, match=r"Писмото до редакторите не можа да бъде изпратено през 127.0.0.1"):
        send(settings, "x", "y")
    assert inbox.messages == []


def test_the_smtp_password_is_never_read_from_the_settings_file() -> None:
    with pytest.raises(MailError, match="SMTP_PASSWORD се задава само като променлива на средата"):
        MailSettings.from_settings({"SMTP_HOST": "mail", "SMTP_PASSWORD": "x"}, {})
    assert MailSettings.from_settings({}, {}) is None  # no SMTP_HOST: mail is off


# --- the commands, as cron and the editors run them --------------------------------------------


def run(module_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *module_args],
        cwd=ROOT,
        env={**env, "UCHASTVAI_SLIDE_IMAGES": "0"},
        capture_output=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )


def live(site: Path) -> Path:
    return site / "current"


def live_record(site: Path) -> dict[str, Any]:
    return json.loads((live(site) / "release.json").read_text(encoding="utf-8"))


def as_draft(source: Path) -> str:
    return source.read_text(encoding="utf-8").replace("---\n", "---\ndraft: yes\n", 1)


def test_strict_publish_passes_reminders_and_broken_drafts_but_not_a_broken_item(sshd: Sshd, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "consultations" / "chernova.md").write_text(as_draft(BROKEN), encoding="utf-8")
    (content / "projects" / "chernova.md").write_text(as_draft(BROKEN_PROJECT), encoding="utf-8")
    site = tmp_path / "site"
    env = cli_env(sshd.target(site))
    publish = ["-m", "invoke", "publish", "--content", str(content), "--output", str(tmp_path / "build")]
    # 2026-12-10: consultation 2026-024 closed 31 days ago without справка (a reminder).
    first = run([*publish, "--build-time", "2026-12-10T00:10"], env)
    assert first.returncode == 0, first.stderr
    assert "Напомняне" in first.stderr and "преди 31 дни" in first.stderr
    assert "1 напомняне (не спира публикуването)." in first.stderr
    assert "content/consultations/chernova.md" in first.stderr  # drafts are reported, not blocking
    assert "срокът за предложения е 13 дни" in first.stderr
    assert long_date(date(2026, 12, 10)) in (live(site) / "index.html").read_text(encoding="utf-8")
    released = live(site).resolve()
    before = {p.relative_to(released): p.read_bytes() for p in released.rglob("*") if p.is_file()}

    (content / "consultations" / BROKEN.name).write_bytes(BROKEN.read_bytes())
    second = run([*publish, "--build-time", "2026-12-11T00:10"], env)
    assert second.returncode == 2
    assert "Traceback" not in second.stderr
    assert live(site).resolve() == released
    assert {p.relative_to(released): p.read_bytes() for p in released.rglob("*") if p.is_file()} == before


def git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=Редактор", "-c", "user.email=redaktor@asenovgrad.example"]
    done = subprocess.run(["git", "-C", str(repo), *identity, *args], capture_output=True, encoding="utf-8", check=True)
    return done.stdout.strip()


def test_the_nightly_rebuild_publishes_the_last_good_content_at_the_new_date(
    sshd: Sshd, inbox: Inbox, tmp_path: Path
) -> None:
    # The editors' repository, and the server's clone the nightly job (`invoke nightly --pull`) pulls from.
    upstream = tmp_path / "upstream"
    shutil.copytree(ROOT / "content", upstream / "content")
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "Sample content")
    good = git(upstream, "rev-parse", "HEAD")
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(upstream), str(work)], check=True)
    site = tmp_path / "site"
    env = {**cli_env(sshd.target(site)), **inbox.env()}
    nightly = ["-m", "invoke", "nightly", "--pull", "--content", str(work / "content")]
    nightly += ["--output", str(tmp_path / "publish")]

    first = run([*nightly, "--build-time", "2026-11-25T00:10"], env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert live_record(site)["commit"] == good
    assert inbox.messages == []  # nothing to tell

    # An editor commits a consultation with a 13-day period; the job pulls it on 10 December.
    (upstream / "content" / "consultations" / BROKEN.name).write_bytes(BROKEN.read_bytes())
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "New consultation")
    second = run([*nightly, "--build-time", "2026-12-10T00:10"], env)
    assert second.returncode == 3, second.stdout + second.stderr
    assert (work / "content" / "consultations" / BROKEN.name).exists()  # pulled
    record = live_record(site)
    assert record["commit"] == good and record["fallback"] is True
    assert record["build_time"].startswith("2026-12-10T00:10")
    page = (live(site) / "index.html").read_text(encoding="utf-8")
    assert long_date(date(2026, 12, 10)) in page
    assert not list(live(site).rglob("*2026-105*"))  # the broken consultation is not online
    [message] = inbox.messages
    assert message["Subject"] == f"{SITE}: съдържанието има грешки, сайтът е обновен с последното изправно съдържание"
    text = body_of(message)
    assert "Днешното съдържание има грешки и не е публикувано." in text
    assert f"от последното изправно съдържание (версия {good[:12]})" in text
    assert "content/consultations/period-of-13-days.md" in text
    assert "срокът за предложения е 13 дни" in text
    assert "Напомняне" in text and "преди 31 дни" in text  # the reminder of 2026-024 at the new date

    # The editor fixes it (removes the file): the next night publishes today's content, with the reminder.
    (upstream / "content" / "consultations" / BROKEN.name).unlink()
    git(upstream, "commit", "-q", "-a", "-m", "Remove the consultation")
    third = run([*nightly, "--build-time", "2026-12-11T00:10"], env)
    assert third.returncode == 0, third.stdout + third.stderr
    assert live_record(site)["commit"] == git(upstream, "rev-parse", "HEAD")
    assert "fallback" not in live_record(site)
    reminder = inbox.messages[-1]
    assert reminder["Subject"] == f"{SITE}: напомняния за редакторите"
    assert "Сайтът е обновен към" in body_of(reminder) and "преди 32 дни" in body_of(reminder)


def test_the_nightly_rebuild_fails_loudly_when_no_good_content_is_known(
    sshd: Sshd, inbox: Inbox, tmp_path: Path
) -> None:
    content = tmp_path / "content"  # not in git, nothing published yet
    shutil.copytree(ROOT / "content", content)
    (content / "consultations" / BROKEN.name).write_bytes(BROKEN.read_bytes())
    site = tmp_path / "site"
    env = {**cli_env(sshd.target(site)), **inbox.env()}
    result = run(
        ["-m", "uchastvai.editors.nightly", "--pull", "--content", str(content), "--output", str(tmp_path / "publish")],
        {**env, "SOURCE_DATE_EPOCH": "1796000000"},
    )
    assert result.returncode == 4, result.stdout + result.stderr
    assert not live(site).exists()
    [message] = inbox.messages
    assert message["Subject"] == f"{SITE}: нощното обновяване не успя, сайтът не е обновен"
    assert "Не е известно от кое съдържание е сайтът на живо" in body_of(message)
    assert "Изтеглянето на съдържанието (git pull --ff-only) не успя: fatal: not a git repository" in body_of(message)


ftp_factory = deploy_fixtures.ftp_factory
ftp = deploy_fixtures.ftp
keep_working_directory = deploy_fixtures.keep_working_directory  # pyftpdlib changes the cwd


@pytest.mark.parametrize("method", ["ssh", "rsync-inplace", "ftp"])
def test_the_live_release_record_is_read_back_from_each_kind_of_hosting(
    method: str, sshd: Sshd, ftp: deploy_fixtures.FtpServer, tmp_path: Path
) -> None:
    from uchastvai.deploy import deploy
    from uchastvai.editors.nightly import live_release

    target = ftp.target() if method == "ftp" else sshd.target(tmp_path / "site", method=method)
    assert live_release(target) is None  # nothing published yet
    for version, commit in (("v1", "1" * 40), ("v2", "2" * 40)):
        record = json.dumps({"commit": commit, "content_path": "content", "build_time": "2026-12-10T00:10:00+02:00"})
        deploy(deploy_fixtures.make_build(tmp_path / version, version, {"release.json": record}), target)
    assert live_release(target) == {
        "commit": "2" * 40,
        "content_path": "content",
        "build_time": "2026-12-10T00:10:00+02:00",
    }
