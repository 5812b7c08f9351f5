"""Deploy failures, each with one Bulgarian sentence the municipality's IT staff can act on.

ssh, rsync and lftp report problems as exit codes plus English stderr; :func:`classify`
turns that into a :class:`Problem`, so callers never parse tool output themselves.
"""

from __future__ import annotations

import enum
import re

from uchastvai.core.i18n import N_, gettext


class Problem(enum.Enum):
    """What went wrong, as a person fixing it would group it; the value is the English msgid."""

    MISSING_BUILD = N_("The local build {path} is missing or incomplete (no index.html). Build the site first.")
    CONFIG_MISSING = N_("Deploy settings are missing: {names}.")
    CONFIG_METHOD = N_("DEPLOY_METHOD must be one of: {choices}.")
    CONFIG_NUMBER = N_("The setting {name} must be a whole number.")
    CONFIG_SECRET = N_("DEPLOY_PASSWORD may only be set as an environment variable, never in the settings file.")
    UNREACHABLE = N_("The server {host} cannot be reached. Check the address, the port and the network.")
    AUTH = N_("The server {host} refused the login: wrong user, key or password.")
    HOST_KEY = N_(
        "The server {host} is not in the list of known hosts or its key has changed. "
        "Add its key to known_hosts only after checking it with the hosting provider."
    )
    DISK_FULL = N_("There is no free space left on the server {host} (disk full or quota exceeded).")
    PERMISSION = N_("No permission to write to {path} on the server {host}.")
    LOCK_HELD = N_(
        "Another deploy is running (started by {owner}). Wait for it to finish; "
        "if it was interrupted, run the 'unlock' command."
    )
    VERIFY = N_(
        "The upload could not be verified: {count} file(s) differ from the build, for example {example}. "
        "The live site was not changed."
    )
    VERIFY_LIVE = N_(
        "After the upload {count} file(s) on the live site differ from the build, for example {example}. Deploy again."
    )
    NOT_SYMLINK = N_(
        "{path} on the server is a regular folder, not a link. Move it aside once "
        "so that deploys can manage it as a link to the current release."
    )
    NO_PREVIOUS = N_("There is no earlier release to roll back to.")
    NOT_SUPPORTED = N_("The deploy method {method} does not keep releases, so rollback is not possible.")
    SWITCH_FAILED = N_("The new release could not be switched live; the site still shows the previous one. {detail}")
    FAILED = N_("The deploy failed: {detail}")

    @property
    def msgid(self) -> str:
        return self.value


class DeployError(Exception):
    """A deploy or rollback failed; ``str()`` is the Bulgarian message for people."""

    def __init__(self, problem: Problem, **details: object) -> None:
        self.problem = problem
        self.details = details
        super().__init__(self.message())

    def message(self, lang: str = "bg") -> str:
        """The message in ``lang`` with its details filled in."""
        return gettext(self.problem.msgid, lang).format_map(_Defaults(self.details))


class _Defaults(dict):
    """Leave an unknown placeholder visible instead of failing while reporting a failure."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# Order matters: authentication also says "Permission denied", so it is matched first.
_PATTERNS: tuple[tuple[Problem, re.Pattern[str]], ...] = tuple(
    (problem, re.compile(pattern, re.IGNORECASE))
    for problem, pattern in (
        (
            Problem.HOST_KEY,
            r"host key verification failed|remote host identification has changed",
        ),
        (
            Problem.AUTH,
            (
                r"permission denied \((publickey|password|keyboard)|too many authentication failures"
                r"|no more authentication methods|login failed|login incorrect|failed: 530\b|authentication failed"
                r"|load key .*: (invalid format|no such file)"
            ),
        ),
        (
            Problem.UNREACHABLE,
            (
                r"connection refused|no route to host|could not resolve|name or service not known"
                r"|temporary failure in name resolution|network is unreachable|connection timed out"
                r"|operation timed out|max-retries exceeded|connection closed by .* port|not connected"
                r"|connection reset"
            ),
        ),
        (
            Problem.DISK_FULL,
            r"no space left on device|quota exceeded|failed: (452|552)\b",
        ),
        (
            Problem.PERMISSION,
            (
                r"permission denied|operation not permitted|read-only file system|not enough privileges"
                r"|access denied|failed: 553\b"
            ),
        ),
    )
)


def classify(stderr: str, host: str, path: str = "", detail_fallback: str = "") -> DeployError:
    """The DeployError that explains a failed ssh/rsync/lftp run from its stderr."""
    for problem, pattern in _PATTERNS:
        if pattern.search(stderr):
            return DeployError(problem, host=host, path=path)
    detail = last_line(stderr) or detail_fallback
    return DeployError(Problem.FAILED, detail=detail, host=host)


def last_line(text: str) -> str:
    """The last non-empty line of tool output: usually the one that names the failure."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
