"""``./dev.sh editor``: the web editor on one office computer, with one command.

Three things run together: Decap's local proxy (``decap-server``, from the npm package
pinned in ``admin/``) that reads and writes the files of this copy of the project (and
commits every save when the copy is a Git clone), a preview of the site at
http://127.0.0.1:8000/ with the editor at ``/admin/``, and a watcher that rebuilds the
preview after every save and writes the site's own check, in Bulgarian, to
``/admin/otchet/`` (also when the build fails, so the editor always sees why).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from uchastvai.core.i18n import N_, gettext
from uchastvai.core.processes import stop_gently
from uchastvai.editors import cms

DECAP_SERVER = cms.PACKAGE / "node_modules" / "decap-server" / "dist" / "index.js"
HOST = "127.0.0.1"


def current_branch(repo: Path) -> str | None:
    """The checked-out branch of a Git clone, or None when the folder is not one."""
    if not (repo / ".git").exists():
        return None
    result = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or None if result.returncode == 0 else None


def backend(repo: Path, proxy_port: int) -> dict[str, Any]:
    """The editor's backend: the local proxy on this computer, on the clone's branch."""
    settings: dict[str, Any] = {"name": "proxy", "proxy_url": f"http://{HOST}:{proxy_port}/api/v1"}
    branch = current_branch(repo)
    if branch:
        settings["branch"] = branch
    return settings


@contextlib.contextmanager
def proxy_server(repo: Path, port: int, site_origin: str, log: Any = None) -> Iterator[subprocess.Popen[bytes]]:
    """Run decap-server for ``repo``: Git mode (a commit per save) in a clone, else plain files."""
    if not DECAP_SERVER.is_file():
        raise cms.EditorMissing(
            gettext(N_("The web editor is not installed: run ./dev.sh editor once (it installs it)."))
        )
    env = {
        **os.environ,
        "MODE": "git" if current_branch(repo) else "fs",
        "GIT_REPO_DIRECTORY": str(repo),
        "PORT": str(port),
        "BIND_HOST": HOST,
        "ORIGIN": site_origin,
        "LOG_LEVEL": "warn",
    }
    process = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=log, stderr=log)
    try:
        _wait_for_port(port, process)
        yield process
    finally:
        stop_gently(process)


def _wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"decap-server ended with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"decap-server did not listen on port {port}")


def rebuild(
    settings_file: Path, content: Path, output: Path, build_time: datetime | None, proxy: dict[str, Any]
) -> bool:
    """Build the preview and write the check's report page; True when the content is valid."""
    from uchastvai.build import build, load_settings
    from uchastvai.content.problems import format_report
    from uchastvai.editors.editors_report import check_pages, editors_report
    from uchastvai.plugin import ContentInvalid

    extra = {
        "PATH": str(content),
        "CMS_BACKEND": proxy,
        "DISPLAY_RENDER_IMAGES": False,
        "CACHE_PATH": str(output.parent / "cache" / "editor"),
    }
    try:
        result = build(settings_file, output, build_time, None, extra)
    except ContentInvalid as invalid:
        settings = load_settings(settings_file, extra)
        cms.write_report(output, invalid.report, False, settings)
        return False
    settings = load_settings(settings_file, extra)
    report = editors_report(result.catalog, check_pages(result.output, result.site_url))
    warnings = format_report(result.warnings, settings.get("DEFAULT_LANG", "bg")) if result.warnings else ""
    cms.write_report(output, f"{warnings}\n\n{report}".strip(), True, settings)
    return True


def snapshot(folder: Path) -> dict[str, float]:
    """Modification times of every file under ``folder``: a save changes it."""
    return {str(path): path.stat().st_mtime for path in folder.rglob("*") if path.is_file()}


def watch(folder: Path, on_change: Callable[[], object], stop: threading.Event, interval: float = 1.0) -> None:
    """Call ``on_change`` after files under ``folder`` change (polling: works on every file system)."""
    seen = snapshot(folder)
    while not stop.wait(interval):
        now = snapshot(folder)
        if now != seen:
            time.sleep(0.3)  # a save writes several files: let it finish
            seen = snapshot(folder)
            on_change()


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files of the preview, without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def run(  # noqa: PLR0917 - the task and the tests pass the same few values in order
    repo: Path,
    output: Path,
    port: int = 8000,
    proxy_port: int = 8081,
    build_time: datetime | None = None,
    ready: Callable[[str], object] = print,
    stop: threading.Event | None = None,
) -> None:
    """Run the editor until Ctrl+C (or until ``stop`` is set)."""
    from pelican.log import console

    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # a terminated editor stops decap-server too
    console.quiet = True  # Pelican's English summary after every save is not for editors
    site = f"http://{HOST}:{port}"
    proxy = backend(repo, proxy_port)
    settings_file = repo / "pelicanconf.py" if (repo / "pelicanconf.py").is_file() else cms.ROOT / "pelicanconf.py"
    content = repo / "content"
    lock = threading.Lock()

    def refresh() -> None:
        with lock:
            try:
                rebuild(settings_file, content, output, build_time, proxy)
            except Exception as error:  # keep watching: the next save may fix it
                message = gettext(N_("The preview could not be built: {error}")).format(error=error)
                from uchastvai.build import load_settings

                cms.write_report(output, message, False, load_settings(settings_file, {}))

    with proxy_server(repo, proxy_port, site):
        refresh()
        handler = functools.partial(QuietHandler, directory=str(output))
        with ThreadingHTTPServer((HOST, port), handler) as server:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            watcher = threading.Thread(target=watch, args=(content, refresh, stop), daemon=True)
            watcher.start()
            ready(
                gettext(N_("Web editor: {url}  ·  check report: {report}  (Ctrl+C stops)")).format(
                    url=f"{site}/{cms.ADMIN}/", report=f"{site}/{cms.REPORT}/"
                )
            )
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
            finally:
                stop.set()
                server.shutdown()


def main(argv: list[str] | None = None) -> int:
    """``python -m uchastvai.editors.editor REPO OUTPUT PORT PROXY_PORT [BUILD_TIME]`` (used by the tests)."""
    from uchastvai.core.dates import parse_build_time

    args = list(sys.argv[1:] if argv is None else argv)
    moment = parse_build_time(args[4]) if len(args) > 4 else None
    stop = threading.Event()
    run(Path(args[0]).resolve(), Path(args[1]).resolve(), int(args[2]), int(args[3]), moment, _flushed_print, stop)
    return 0


def _flushed_print(text: str) -> None:
    print(text, flush=True)


if __name__ == "__main__":
    sys.exit(main())
