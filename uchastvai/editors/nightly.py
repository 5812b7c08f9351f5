"""The scheduled rebuild: the live site always moves on to tonight's date.

Countdowns, open/closed states and hearings are computed at build time, so a night
without a publish freezes them. Tonight's content is built strictly and deployed; when
it has errors, the content of the live release (its git commit is in ``release.json``,
which every deploy carries along) is rebuilt at tonight's date and deployed instead.
Either way the editors get an e-mail: what failed, and the reminders that are due.

    python -m uchastvai.editors.nightly [--pull] [--content content/] [--output publish/] [--build-time …]

Exit codes for cron and systemd: 0 tonight's content is live, 3 the last good content
was published (tonight's has errors), 4 nothing was published (the live site stays).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

from uchastvai.build import RELEASE_FILE, BuildResult, build, load_settings
from uchastvai.content.problems import Problem, Severity, format_report, sort_key
from uchastvai.core.dates import build_time_from_env, event_datetime, parse_build_time
from uchastvai.core.i18n import gettext
from uchastvai.deploy import DeployError, DeployTarget, deploy
from uchastvai.editors.mail import MailError, MailSettings, send
from uchastvai.plugin import ContentInvalid

ROOT = Path(__file__).resolve().parents[2]
Say = Callable[[str], None]


class Outcome(IntEnum):
    """The exit code a cron job or systemd unit sees."""

    PUBLISHED = 0  # tonight's content is live
    FELL_BACK = 3  # tonight's content has errors; the last good content is live at tonight's date
    FAILED = 4  # nothing was published; the live site stays as it was


@dataclass
class Options:
    settings_file: Path = ROOT / "publishconf.py"
    output: Path = ROOT / "publish"
    content: Path | None = None  # the settings' PATH when None
    build_time: datetime | None = None  # now (or SOURCE_DATE_EPOCH) when None
    pull: bool = False
    keep: int | None = None


@dataclass
class Report:
    """What happened tonight, for the exit code and the editors' e-mail."""

    outcome: Outcome = Outcome.FAILED
    build_time: datetime | None = None
    release: str = ""
    fallback_commit: str = ""
    site: str = "Участвай"
    problems: list[Problem] = field(default_factory=list)  # tonight's content, blocking or not
    notes: list[str] = field(default_factory=list)  # what else went wrong (pull, deploy, fallback)

    @property
    def reminders(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.REMINDER]


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=600)


def pull(content: Path) -> str | None:
    """``git pull --ff-only`` in the content's repository; the error text when it fails."""
    run = git(content, "pull", "--ff-only", "--quiet")
    if run.returncode == 0:
        return None
    lines = run.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"git exit {run.returncode}"


def read_release_text(text: str | None) -> dict[str, Any] | None:
    try:
        record = json.loads(text or "")
    except ValueError:
        return None
    return record if isinstance(record, dict) and record.get("commit") else None


def live_release(target: DeployTarget) -> dict[str, Any] | None:
    """The ``release.json`` of the live release on the server, or None when it cannot be read."""
    from uchastvai.deploy import ftp, htaccess, ssh

    try:
        if target.method in ("ssh", "rsync-inplace"):
            folder = f"{target.current_name}/" if target.method == "ssh" else ""
            script = 'cat "$1/$2" 2>/dev/null || true'
            return read_release_text(ssh.SshRemote(target).run(script, target.path, folder + RELEASE_FILE).stdout)
        remote = ftp.FtpRemote(target)
        current = htaccess.live_release(remote.htaccess_text())
        if not current:
            return None
        return read_release_text(remote.run(f"cat releases/{current}/{RELEASE_FILE}", check=False).stdout)
    except DeployError:
        return None


def local_release(output: Path) -> dict[str, Any] | None:
    """The record of the last successful publishing build on this machine."""
    path = output / RELEASE_FILE
    return read_release_text(path.read_text(encoding="utf-8")) if path.is_file() else None


def export_commit(content: Path, record: Mapping[str, Any], into: Path) -> Path:
    """Write the content folder as it was at ``record['commit']`` into ``into``; return its path."""
    top = git(content, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise FileNotFoundError(str(content))
    repo = Path(top.stdout.decode().strip())
    prefix = str(record.get("content_path") or ".")
    archive = git(repo, "archive", "--format=tar", str(record["commit"]), "--", prefix)
    if archive.returncode != 0:
        raise LookupError(archive.stderr.decode("utf-8", "replace").strip())
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / prefix


def publish(
    options: Options,
    content: Path,
    target: DeployTarget,
    report: Report,
    say: Say,
    *,
    record: dict[str, Any] | None = None,
) -> None:
    """Build strictly at tonight's date and deploy; ContentInvalid propagates (nothing uploaded)."""
    extra: dict[str, Any] = {"PATH": str(content)}
    if record is not None:
        extra["RELEASE_RECORD"] = record  # the fallback keeps the commit it was built from
    result: BuildResult = build(options.settings_file, options.output, report.build_time, True, extra)
    report.problems += [p for p in result.warnings if p not in report.problems]
    say(gettext("Site built in {output}.").format(output=result.output))
    report.release = deploy(result.output, target, keep_releases=options.keep, progress=say)


def fall_back(options: Options, content: Path, target: DeployTarget, report: Report, say: Say) -> None:
    """Publish the live release's content again, built at tonight's date."""
    record = live_release(target) or local_release(options.output)
    if record is None:
        report.notes.append(gettext("The content of the live site is not known (no release.json with a commit)."))
        return
    report.fallback_commit = str(record["commit"])
    with tempfile.TemporaryDirectory(prefix="uchastvai-last-good-") as folder:
        try:
            old_content = export_commit(content, record, Path(folder))
        except (OSError, LookupError) as error:
            report.notes.append(
                gettext("The content of version {commit} could not be read from git: {error}").format(
                    commit=report.fallback_commit[:12], error=error
                )
            )
            return
        fallback_record = {**record, "fallback": True}
        try:
            publish(options, old_content, target, report, say, record=fallback_record)
        except ContentInvalid:
            report.notes.append(gettext("The last good content has errors at tonight's date too."))
            return
    report.outcome = Outcome.FELL_BACK


def run(options: Options, environ: Mapping[str, str], say: Say = print) -> Report:
    """Tonight's rebuild; never raises for content, deploy or git problems."""
    settings = load_settings(options.settings_file, {})
    content = (options.content or Path(settings["PATH"])).resolve()
    report = Report(
        build_time=options.build_time or build_time_from_env(dict(environ)), site=str(settings.get("SITENAME", ""))
    )
    if options.pull:
        failure = pull(content)
        if failure:
            report.notes.append(gettext("git pull --ff-only failed: {error}").format(error=failure))
    try:
        target = DeployTarget.from_settings(settings, environ)
        try:
            publish(options, content, target, report, say)
            report.outcome = Outcome.PUBLISHED
        except ContentInvalid as invalid:
            report.problems = list(invalid.problems)
            say(gettext("Tonight's content has errors; publishing the last good content at tonight's date."))
            fall_back(options, content, target, report, say)
    except DeployError as error:
        report.outcome = Outcome.FAILED
        report.notes.append(str(error))
    except Exception as error:  # a crash must still reach the editors and the exit code
        report.outcome = Outcome.FAILED
        report.notes.append(f"{type(error).__name__}: {error}")
    return report


# --- the e-mail -------------------------------------------------------------------------------


def subject(report: Report) -> str | None:
    """The subject of tonight's e-mail, or None when there is nothing to tell."""
    if report.outcome == Outcome.FAILED:
        text = gettext("{site}: the nightly rebuild failed, the site was not updated")
    elif report.outcome == Outcome.FELL_BACK:
        text = gettext("{site}: the content has errors, the site was updated with the last good content")
    elif report.reminders or report.notes:
        text = gettext("{site}: reminders for the editors")
    else:
        return None
    return text.format(site=report.site)


def body(report: Report) -> str:
    """The e-mail text: what happened, what to do, then the content check report."""
    moment = event_datetime(report.build_time) if report.build_time else ""
    intro = {
        Outcome.PUBLISHED: gettext("The site was updated as of {moment}."),
        Outcome.FELL_BACK: gettext(
            "Tonight's content has errors and was not published. So that dates and countdowns stay true, "
            "the site was rebuilt as of {moment} from the last good content (version {commit}). "
            "Correct the errors below: the next nightly rebuild publishes the corrected content."
        ),
        Outcome.FAILED: gettext(
            "The site could not be updated as of {moment}; the live site stays as it was, "
            "with the dates of its last build. Tell the IT staff if this happens again tomorrow."
        ),
    }[report.outcome].format(moment=moment, commit=report.fallback_commit[:12])
    parts = [intro]
    if report.notes:
        parts.append("\n".join(f"- {note}" for note in report.notes))
    others = [p for p in report.problems if p.severity != Severity.REMINDER]
    if others:
        parts.append(format_report(others))
    if report.reminders:
        lines = [f"- {p.source}: {p.render()}" for p in sorted(report.reminders, key=sort_key)]
        parts.append("\n".join([gettext("Due now (these do not stop publishing):"), *lines]))
    if report.release:
        parts.append(gettext("Published release: {release}").format(release=report.release))
    return "\n\n".join(parts) + "\n"


def notify(report: Report, settings: Mapping[str, Any], environ: Mapping[str, str], say: Say) -> None:
    """Send the e-mail when there is something to tell and SMTP is set up; print it otherwise."""
    title = subject(report)
    if title is None:
        return
    text = body(report)
    try:
        mail = MailSettings.from_settings(settings, environ)
        if mail is None:
            say(f"{title}\n\n{text}")
            return
        send(mail, title, text)
        say(gettext("E-mail sent to {recipients}.").format(recipients=", ".join(mail.recipients)))
    except MailError as error:
        say(f"{error}\n\n{title}\n\n{text}")


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=gettext("Nightly rebuild: the site always moves on to today."))
    parser.add_argument("--settings", default=str(ROOT / "publishconf.py"))
    parser.add_argument("--output", default=str(ROOT / "publish"))
    parser.add_argument("--content", default=None)
    parser.add_argument("--build-time", default=None, help="ISO date-time, Europe/Sofia if naive")
    parser.add_argument("--pull", action=argparse.BooleanOptionalAction, default=None, help="git pull --ff-only")
    parser.add_argument("--keep", type=int, default=None)
    return parser


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    args = parser().parse_args(argv)
    environ = os.environ if environ is None else environ
    pull_default = str(environ.get("NIGHTLY_PULL", "")).lower() in ("1", "yes", "true")
    options = Options(
        settings_file=Path(args.settings),
        output=Path(args.output).resolve(),
        content=Path(args.content).resolve() if args.content else None,
        build_time=parse_build_time(args.build_time) if args.build_time else None,
        pull=pull_default if args.pull is None else args.pull,
        keep=args.keep,
    )
    report = run(options, environ)
    notify(report, load_settings(options.settings_file, {}), environ, print)
    return int(report.outcome)


if __name__ == "__main__":
    sys.exit(main())
