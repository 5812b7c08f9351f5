"""Bulgarian messages, settings and release bookkeeping, without any server.

The stderr samples are what ssh, rsync and lftp really print for each problem.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from uchastvai.core.i18n import gettext
from uchastvai.deploy import DeployTarget, Problem, htaccess
from uchastvai.deploy import __main__ as cli_module
from uchastvai.deploy import release as release_module
from uchastvai.deploy.errors import DeployError, classify
from uchastvai.deploy.release import (
    Manifest,
    new_release_id,
    previous_release,
    releases_to_prune,
)

REAL_STDERR = [
    ("ssh: connect to host 127.0.0.1 port 2: Connection refused", Problem.UNREACHABLE),
    (
        "ssh: Could not resolve hostname site.invalid: Name or service not known",
        Problem.UNREACHABLE,
    ),
    (
        "ssh: connect to host 10.0.0.1 port 22: Connection timed out",
        Problem.UNREACHABLE,
    ),
    (
        "mkdir: Fatal error: max-retries exceeded (Connection refused)",
        Problem.UNREACHABLE,
    ),
    ("root@127.0.0.1: Permission denied (publickey).", Problem.AUTH),
    ("mkdir: Login failed: 530 Authentication failed.", Problem.AUTH),
    ("Host key verification failed.", Problem.HOST_KEY),
    (
        'rsync: [receiver] write failed on "/srv/site/releases/x.partial/a.html": No space left on device (28)',
        Problem.DISK_FULL,
    ),
    (
        "put: Access failed: 552 Disk full - please upload later (index.html)",
        Problem.DISK_FULL,
    ),
    (
        'rsync: [receiver] mkstemp "/srv/site/.a.html.x" failed: Disk quota exceeded (122)',
        Problem.DISK_FULL,
    ),
    (
        "mkdir: cannot create directory '/srv/site/.deploy.lock': Permission denied",
        Problem.PERMISSION,
    ),
    (
        'rsync: [Receiver] mkdir "/srv/site/releases/x" failed: Permission denied (13)',
        Problem.PERMISSION,
    ),
    (
        "mkdir: Access failed: 550 Not enough privileges. (.deploy.lock)",
        Problem.PERMISSION,
    ),
    ("put: Access failed: 553 Could not create file. (index.html)", Problem.PERMISSION),
]


@pytest.mark.parametrize(("stderr", "problem"), REAL_STDERR)
def test_tool_errors_become_bulgarian_sentences(stderr: str, problem: Problem) -> None:
    error = classify(stderr, host="example.bg", path="/srv/site")

    assert error.problem is problem
    assert str(error) != problem.msgid, "translated"
    assert "example.bg" in str(error) or problem not in (
        Problem.UNREACHABLE,
        Problem.AUTH,
    )


def test_an_unknown_failure_still_says_what_the_tool_said() -> None:
    error = classify("rsync: some brand new failure\n", host="h")

    assert error.problem is Problem.FAILED
    assert str(error) == "Публикуването е неуспешно: rsync: some brand new failure"


def test_every_message_has_a_bulgarian_translation() -> None:
    msgids = [problem.msgid for problem in Problem]
    msgids += [value for name, value in vars(release_module).items() if name.startswith("MSG_")]
    msgids += [value for name, value in vars(cli_module).items() if name.startswith("MSG_")]

    untranslated = [msgid for msgid in msgids if gettext(msgid) == msgid]

    assert untranslated == []


def test_settings_come_from_pelicanconf_and_the_environment_wins() -> None:
    settings = {
        "DEPLOY_HOST": "old.example.bg",
        "DEPLOY_PATH": "/srv/site/",
        "DEPLOY_KEEP": 3,
    }
    environ = {
        "DEPLOY_HOST": "new.example.bg",
        "DEPLOY_PORT": "2222",
        "DEPLOY_EXCLUDE": "/cgi-bin/, /stats/",
    }

    target = DeployTarget.from_settings(settings, environ)

    assert (target.method, target.host, target.port, target.path) == (
        "ssh",
        "new.example.bg",
        2222,
        "/srv/site",
    )
    assert target.keep_releases == 3 and target.exclude == ("/cgi-bin/", "/stats/")


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "Липсват настройки за публикуване: DEPLOY_HOST, DEPLOY_PATH."),
        (
            {"DEPLOY_HOST": "h", "DEPLOY_PATH": "/", "DEPLOY_METHOD": "scp"},
            "DEPLOY_METHOD трябва да е едно от",
        ),
        (
            {"DEPLOY_HOST": "h", "DEPLOY_PATH": "/", "DEPLOY_PORT": "22a"},
            "DEPLOY_PORT трябва да е цяло число",
        ),
        (
            {"DEPLOY_HOST": "h", "DEPLOY_PATH": "/", "DEPLOY_METHOD": "ftp"},
            "DEPLOY_USER, DEPLOY_PASSWORD",
        ),
    ],
)
def test_bad_settings_are_explained(environ: dict[str, str], message: str) -> None:
    with pytest.raises(DeployError) as error:
        DeployTarget.from_settings({}, environ)

    assert message in str(error.value)


def test_release_ids_sort_in_deploy_order_even_within_one_second() -> None:
    now = datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC)
    first = new_release_id(Manifest({"index.html": "f" * 64}), [], now)
    second = new_release_id(Manifest({"index.html": "0" * 64}), [first], now)

    assert first.startswith("20260301T100000Z-")
    assert second.startswith("20260301T100001Z-") and second > first


def test_pruning_keeps_the_newest_and_anything_live() -> None:
    releases = [
        "20260101T000000Z-aaaaaaaa",
        "20260102T000000Z-bbbbbbbb",
        "20260103T000000Z-cccccccc",
    ]

    assert releases_to_prune(releases, 2, protect=[]) == releases[:1]
    assert releases_to_prune(releases, 2, protect=[releases[0]]) == []
    assert previous_release(releases, releases[2]) == releases[1]
    with pytest.raises(DeployError):
        previous_release(releases, None)


def test_the_htaccess_switch_keeps_host_lines_and_names_the_release() -> None:
    host_lines = "# php -- BEGIN cPanel-generated handler\nAddHandler php81 .php\n"
    first = htaccess.render("20260101T000000Z-aaaaaaaa", host_lines)
    second = htaccess.render("20260102T000000Z-bbbbbbbb", first)

    assert htaccess.live_release(second) == "20260102T000000Z-bbbbbbbb"
    assert second.count(htaccess.BEGIN) == 1 and second.endswith(host_lines)
    assert "RewriteRule ^(.*)$ releases/20260102T000000Z-bbbbbbbb/$1 [L]" in second
    assert htaccess.live_release(host_lines) is None


def test_the_example_htaccess_in_hosting_is_what_the_deploy_writes() -> None:
    from tests.deploy.conftest import REPO

    example = (REPO / "hosting/htaccess-ftp-release-switch.example").read_text(encoding="utf-8")

    assert example == htaccess.render("20260301T100000Z-1a2b3c4d")
