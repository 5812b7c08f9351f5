"""Command line: ``python -m uchastvai.deploy {deploy,rollback,status,unlock}``.

Reads the ``DEPLOY_*`` environment variables (see docs/deploy.md). Prints Bulgarian progress
and, on failure, one Bulgarian sentence on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from uchastvai.core.i18n import N_, gettext
from uchastvai.deploy import DeployError, DeployTarget, deploy, rollback, status, unlock

MSG_STATUS_LIVE = N_("Live release: {release}")
MSG_STATUS_NONE = N_("No release is live yet.")
MSG_STATUS_KEPT = N_("Kept releases: {releases}")
MSG_STATUS_LOCKED = N_(
    "The server is locked by a deploy: {owner}. If no deploy is running, remove the lock with: "
    "python -m uchastvai.deploy unlock"
)
MSG_STATUS_PARTIAL = N_("Unfinished upload left by an interrupted deploy (removed by the next deploy): {releases}")
MSG_UNLOCKED = N_("The deploy lock was removed.")
MSG_INTERRUPTED = N_("Interrupted. The live site was not changed unless the switch had already finished.")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m uchastvai.deploy", description="Publish the built site safely.")
    commands = root.add_subparsers(dest="command", required=True)
    publish = commands.add_parser("deploy", help="upload a build as a new release and switch to it")
    publish.add_argument("local_dir", type=Path, nargs="?", default=Path("output"))
    publish.add_argument(
        "--keep",
        type=int,
        default=None,
        help="releases to keep (default DEPLOY_KEEP or 5)",
    )
    commands.add_parser("rollback", help="switch back to the previous release")
    commands.add_parser("status", help="show the live release and the kept ones")
    commands.add_parser("unlock", help="remove a lock left by an interrupted deploy")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # A polite kill (CI cancel, systemd stop) unwinds like Ctrl+C, so the lock is released.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return run(args)
    except DeployError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(gettext(MSG_INTERRUPTED), file=sys.stderr)
        return 130


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    target = DeployTarget.from_settings({})

    def say(line: str) -> None:
        print(line, flush=True)

    if args.command == "deploy":
        deploy(args.local_dir, target, keep_releases=args.keep, progress=say)
    elif args.command == "rollback":
        rollback(target, progress=say)
    elif args.command == "status":
        state = status(target)
        say(gettext(MSG_STATUS_LIVE).format(release=state.current) if state.current else gettext(MSG_STATUS_NONE))
        say(gettext(MSG_STATUS_KEPT).format(releases=", ".join(state.releases) or "—"))
        if state.lock:
            say(gettext(MSG_STATUS_LOCKED).format(owner=state.lock))
        if state.partial:
            say(gettext(MSG_STATUS_PARTIAL).format(releases=", ".join(state.partial)))
    else:
        unlock(target)
        say(gettext(MSG_UNLOCKED))
    return 0


if __name__ == "__main__":
    sys.exit(main())
