"""Real servers on 127.0.0.1 for the deploy tests: OpenSSH's sshd, Pure-FTPd with Apache (as a
shared host runs them) and pyftpdlib FTP servers for failures a real server cannot be told to
have (a full disk, a slow link).

Nothing is mocked at the network level: deploys run the real ssh, rsync and lftp against
these servers, and the tests look at the server's files the way a web server would.
The binaries must be installed (the test command installs openssh-server, lftp and rsync);
a missing one fails loudly instead of skipping, so a green run always means "tested".
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.filesystems import AbstractedFS
from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler, TLS_DTPHandler, TLS_FTPHandler
from pyftpdlib.servers import FTPServer

from tests.hosting import servers as hosting_servers
from tests.hosting.servers import self_signed
from uchastvai.deploy import DeployTarget, htaccess

REPO = Path(__file__).resolve().parents[2]
SSHD = "/usr/sbin/sshd"
FTP_USER = "deploy"
FTP_PASSWORD = "test-only-secret"  # a throwaway account of a throwaway server


def require(binary: str) -> str:
    """The path of a tool the deploy needs; fail (never skip) when it is not installed."""
    found = shutil.which(binary) or (binary if os.access(binary, os.X_OK) else None)
    if not found:
        pytest.fail(f"{binary} is missing: install openssh-server, openssh-client, rsync and lftp first")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


# --- the site builds being published --------------------------------------------------------


def page(version: str, name: str) -> str:
    """A page that says which build it belongs to and shows when it was cut short."""
    return (
        f"<!doctype html><html><head><meta name=build content={version}></head><body>{name} {version}</body></html>\n"
    )


PAGES = (
    "index.html",
    "about/index.html",
    "news/1.html",
    "news/2.html",
    "consultations/2026-014/index.html",
)


def make_build(root: Path, version: str, extra: dict[str, str | bytes] | None = None) -> Path:
    """Write a small site like Pelican's output, every page stamped with ``version``."""
    files: dict[str, str | bytes] = {name: page(version, name) for name in PAGES}
    files[".htaccess"] = "Header set X-Content-Type-Options nosniff\n"
    files[".well-known/security.txt"] = "Contact: mailto:it@example.invalid\n"
    files.update(extra or {})
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


@pytest.fixture
def builds(tmp_path: Path) -> Callable[..., Path]:
    """``builds("v2")`` makes a fresh build folder for version v2."""

    def build(version: str, extra: dict[str, str | bytes] | None = None) -> Path:
        return make_build(tmp_path / "builds" / version, version, extra)

    return build


def version_of(text: str) -> str | None:
    """The build id of a complete page, None for a truncated or foreign one."""
    match = re.search(r"content=([^>]+)>", text)
    if match and any(text == page(match.group(1), name) for name in PAGES):
        return match.group(1)
    return None


# --- OpenSSH --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sshd:
    port: int
    known_hosts: Path
    key: Path
    stranger_key: Path  # a valid key the server does not accept

    def target(self, path: Path, **changes: object) -> DeployTarget:
        options: dict = {
            "method": "ssh",
            "host": "127.0.0.1",
            "port": self.port,
            "user": getpass.getuser(),
            "key": self.key,
            "known_hosts": self.known_hosts,
            "path": str(path),
            "connect_timeout": 5,
        }
        return DeployTarget(**{**options, **changes})


def keygen(path: Path) -> Path:
    subprocess.run(
        [
            require("ssh-keygen"),
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "uchastvai-test",
            "-f",
            str(path),
        ],
        check=True,
    )
    return path


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    """A private sshd on a free port that accepts one throwaway key for the current user."""
    for tool in (SSHD, "ssh", "rsync", "sha256sum"):
        require(tool)
    home = tmp_path_factory.mktemp("sshd")
    host_key, key, stranger = (
        keygen(home / "host_key"),
        keygen(home / "client_key"),
        keygen(home / "stranger_key"),
    )
    (home / "authorized_keys").write_text(Path(f"{key}.pub").read_text(encoding="utf-8"))
    port = free_port()
    (home / "sshd_config").write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {host_key}",
                f"PidFile {home / 'sshd.pid'}",
                f"AuthorizedKeysFile {home / 'authorized_keys'}",
                "UsePAM no",
                "StrictModes no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                f"AllowUsers {getpass.getuser()}",
                "MaxStartups 100:30:200",
                "MaxSessions 50",
                "LogLevel ERROR",
            ]
        )
        + "\n"
    )
    host_public = Path(f"{host_key}.pub").read_text(encoding="utf-8").split()
    known_hosts = home / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {host_public[0]} {host_public[1]}\n")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)
    log = (home / "sshd.log").open("w")
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(home / "sshd_config")], stderr=log)
    server = Sshd(port, known_hosts, key, stranger)
    probe = [*ssh_base(server), "true"]
    try:
        wait_until(
            lambda: process.poll() is None and subprocess.run(probe, capture_output=True, check=False).returncode == 0,
            timeout=15,
            what=f"sshd on port {port} (log: {home / 'sshd.log'})",
        )
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def ssh_base(server: Sshd) -> list[str]:
    return [
        "ssh",
        "-o", "BatchMode=yes",
        "-o", f"UserKnownHostsFile={server.known_hosts}",
        "-o", "StrictHostKeyChecking=yes",
        "-i", str(server.key),
        "-p", str(server.port),
        f"{getpass.getuser()}@127.0.0.1",
    ]  # fmt: skip


# --- FTP ------------------------------------------------------------------------------------


class FullDiskFS(AbstractedFS):
    """A filesystem that refuses every upload the way a full disk does."""

    def open(self, filename: str, mode: str):
        if "w" in mode or "a" in mode:
            raise OSError(28, os.strerror(28))
        return super().open(filename, mode)


@dataclass
class FtpServer:
    port: int
    home: Path

    def target(self, **changes: object) -> DeployTarget:
        options: dict = {
            "method": "ftp",
            "host": "127.0.0.1",
            "port": self.port,
            "user": FTP_USER,
            "password": FTP_PASSWORD,
            "path": "/site",
            "connect_timeout": 5,
        }
        return DeployTarget(**{**options, **changes})

    @property
    def root(self) -> Path:
        return self.home / "site"

    def live_release(self) -> str | None:
        path = self.root / ".htaccess"
        return htaccess.live_release(path.read_text(encoding="utf-8")) if path.exists() else None

    def served(self, name: str) -> str:
        """What Apache would answer for ``/name``: the file in the folder the .htaccess points at."""
        release = self.live_release()
        assert release, "no .htaccess points at a release"
        return (self.root / "releases" / release / name).read_text(encoding="utf-8")


@pytest.fixture
def ftp_factory(tmp_path: Path) -> Iterator[Callable[..., FtpServer]]:
    """Start pyftpdlib servers in threads: ``ftp_factory(perm=..., fs=..., read_limit=...)``."""
    servers: list[tuple[FTPServer, threading.Thread]] = []
    require("lftp")

    def start(
        perm: str = "elradfmwMT",
        fs: type[AbstractedFS] = AbstractedFS,
        read_limit: int = 0,
        tls: bool = False,
    ) -> FtpServer:
        home = tmp_path / f"ftp{len(servers)}"
        home.mkdir()
        authorizer = DummyAuthorizer()
        authorizer.add_user(FTP_USER, FTP_PASSWORD, str(home), perm=perm)
        options: dict = {"authorizer": authorizer, "abstracted_fs": fs}
        if tls:  # FTPS with explicit TLS, required for commands and data, as hosts set it up
            options.update(certfile=str(self_signed(home.parent / f"cert{len(servers)}")))
            options.update(tls_control_required=True, tls_data_required=True)
        handler = type("Handler", (TLS_FTPHandler if tls else FTPHandler,), options)
        handler.auth_failed_timeout = 0.1
        if read_limit:
            bases = (TLS_DTPHandler, ThrottledDTPHandler) if tls else (ThrottledDTPHandler,)
            handler.dtp_handler = type("Dtp", bases, {"read_limit": read_limit})
        # One asyncore loop for all sessions: pyftpdlib changes the process-wide working
        # directory while it serves a session, which races between server threads.
        server = FTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.2}, daemon=True)
        thread.start()
        servers.append((server, thread))
        return FtpServer(server.address[1], home)

    yield start
    for server, thread in servers:
        server.close_all()
        thread.join(timeout=10)


@pytest.fixture
def ftp(ftp_factory: Callable[..., FtpServer]) -> FtpServer:
    return ftp_factory()


# --- the command line, as the tasks and cron call it ----------------------------------------


def cli_env(target: DeployTarget, **extra: str) -> dict[str, str]:
    """The DEPLOY_* environment that describes ``target``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEPLOY_")}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "DEPLOY_METHOD": target.method,
            "DEPLOY_HOST": target.host,
            "DEPLOY_PORT": str(target.port),
            "DEPLOY_PATH": target.path,
            "DEPLOY_USER": target.user or "",
            "DEPLOY_TIMEOUT": str(target.connect_timeout),
        }
    )
    if target.key:
        env["DEPLOY_KEY"] = str(target.key)
    if target.known_hosts:
        env["DEPLOY_KNOWN_HOSTS"] = str(target.known_hosts)
    if target.password:
        env["DEPLOY_PASSWORD"] = target.password
    env.update(extra)
    return env


def cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uchastvai.deploy", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


def cli_background(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """A deploy in its own process group, so a test can kill it like a power cut would.

    Its output goes to files, read with :func:`output_of`: a pipe that nobody reads while the
    deploy runs fills up (64 KiB of progress lines) and stops the deploy in the middle.
    """
    streams = [tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") for _ in range(2)]  # noqa: SIM115 (closed with the process's test)
    process = subprocess.Popen(
        [sys.executable, "-m", "uchastvai.deploy", *args],
        env=env,
        cwd=REPO,
        stdout=streams[0],
        stderr=streams[1],
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )
    _OUTPUT[process.pid] = (streams[0], streams[1])
    return process


_OUTPUT: dict[int, tuple[IO[str], IO[str]]] = {}


def output_of(process: subprocess.Popen[str]) -> tuple[str, str]:
    """What a background deploy printed so far (stdout, stderr)."""
    texts = []
    for stream in _OUTPUT[process.pid]:
        stream.flush()
        stream.seek(0)
        texts.append(stream.read())
    return texts[0], texts[1]


@pytest.fixture(autouse=True)
def keep_working_directory() -> Iterator[None]:
    """pyftpdlib changes the process's working directory into the FTP home (a temporary
    folder that is deleted afterwards); put it back so later tests and tools still work."""
    os.chdir(REPO)
    yield
    os.chdir(REPO)


# --- a shared host: Pure-FTPd for the upload, Apache for the visitors ----------------------


@dataclass(frozen=True)
class Hosted:
    """Pure-FTPd (FTP and FTPS) whose account's ``/site`` is Apache's document root."""

    ftp: hosting_servers.FtpServer
    web: hosting_servers.WebServer

    @property
    def root(self) -> Path:
        return self.ftp.home / "site"

    @property
    def base(self) -> str:
        return self.web.url("site").rstrip("/")

    def target(self, **changes: object) -> DeployTarget:
        options: dict = {
            "method": "ftp",
            "host": "127.0.0.1",
            "port": self.ftp.port,
            "user": hosting_servers.FTP_USER,
            "password": hosting_servers.FTP_PASSWORD,
            "path": "/site",
            "connect_timeout": 30,  # TLS handshakes on a loaded test machine
            "verify_certificate": False,  # the test server's certificate is self-signed
        }
        return DeployTarget(**{**options, **changes})

    def host_file(self, name: str, text: str) -> None:
        """A file the host (not the deploy) puts in the document root."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def hosted() -> Iterator[Hosted]:
    with hosting_servers.scratch("uchastvai-hosted-") as folder:
        home = folder / "home"
        (home / "site").mkdir(parents=True)
        uid, gid = hosting_servers.web_ids()
        for path in (home, home / "site"):
            os.chown(path, uid, gid)
        (folder / "ftp").mkdir()
        (folder / "apache").mkdir()
        with (
            hosting_servers.pure_ftpd(folder / "ftp", home) as ftp,
            hosting_servers.apache(folder / "apache", {"site": home / "site"}) as web,
        ):
            yield Hosted(ftp, web)
