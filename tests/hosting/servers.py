"""Real Apache 2.4, nginx and Pure-FTPd on 127.0.0.1, each with its own config in a scratch folder.

Hosts run these programs; the tests run them too instead of reading their config files as text.
Each server runs in the foreground as a child of the test process, on free ports, and is stopped
at teardown. ``./dev.sh test`` installs them (Debian ``apache2``, ``nginx-light``, ``pure-ftpd``);
a missing one fails the test, never skips it.

When the tests run as root, Apache's and nginx's workers and the FTP account run as ``www-data``,
as on a host: the scratch folder is made readable for them.
"""

from __future__ import annotations

import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NGINX_SNIPPET = REPO / "hosting" / "nginx.conf"
APACHE = "/usr/sbin/apache2"
NGINX = "/usr/sbin/nginx"
PURE_FTPD = "/usr/sbin/pure-ftpd"
PURE_PW = "/usr/bin/pure-pw"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
# What a shared host loads: the tests must pass with exactly these.
MODULES = (
    "mpm_event",
    "authz_core",
    "authz_host",
    "mime",
    "dir",
    "rewrite",
    "headers",
    "expires",
    "filter",
    "deflate",
    "env",
    "setenvif",
    "alias",
)
FTP_USER = "deploy"
FTP_PASSWORD = "test-only-secret"  # a throwaway account of a throwaway server
WEB_USER = "www-data"


def require(binary: str) -> str:
    if not os.access(binary, os.X_OK):
        raise AssertionError(f"{binary} is missing: ./dev.sh test installs apache2, nginx-light and pure-ftpd")
    return binary


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_root() -> bool:
    return os.geteuid() == 0


def web_ids() -> tuple[int, int]:
    """uid and gid the servers' workers and the FTP account use."""
    if _as_root():
        entry = pwd.getpwnam(WEB_USER)
        return entry.pw_uid, entry.pw_gid
    return os.getuid(), os.getgid()


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary folder the servers' unprivileged workers can read (pytest's are private)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait_http(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}: {_tail(log)}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"no answer on port {port}: {_tail(log)}")


def _wait_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}: {_tail(log)}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}: {_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-2000:] if log.exists() else "(no log)"


def _stop(process: subprocess.Popen[bytes], stop_signal: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# --- Apache -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebServer:
    name: str
    ports: dict[str, int]  # site name -> port
    log: Path

    def url(self, site: str, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.ports[site]}{path}"


def apache_config(folder: Path, sites: dict[str, Path], ports: dict[str, int]) -> str:
    """A minimal Apache 2.4 as shared hosts run it: .htaccess allowed, Debian's defaults for .ht*."""
    lines = [
        f"ServerRoot {folder}",
        "ServerName 127.0.0.1",
        *(f"LoadModule {name}_module {APACHE_MODULES / f'mod_{name}.so'}" for name in MODULES),
        f"PidFile {folder / 'apache.pid'}",
        f"DefaultRuntimeDir {folder}",
        f"Mutex file:{folder} default",
        f"ErrorLog {folder / 'error.log'}",
        "LogLevel warn",
        "TypesConfig /etc/mime.types",
        "StartServers 1",
        "ServerLimit 2",
        "ThreadsPerChild 16",
        "MaxRequestWorkers 32",
        *(["User www-data", "Group www-data"] if _as_root() else []),
        "<Directory />",
        "  AllowOverride None",
        "  Require all denied",
        "</Directory>",
        '<FilesMatch "^\\.ht">',
        "  Require all denied",
        "</FilesMatch>",
    ]
    for name, root in sites.items():
        lines += [
            f"Listen 127.0.0.1:{ports[name]}",
            f"<VirtualHost 127.0.0.1:{ports[name]}>",
            f"  DocumentRoot {root}",
            f"  <Directory {root}>",
            "    Options FollowSymLinks",
            "    AllowOverride All",
            "    Require all granted",
            "  </Directory>",
            "</VirtualHost>",
        ]
    return "\n".join(lines) + "\n"


@contextmanager
def apache(folder: Path, sites: dict[str, Path], ports: dict[str, int] | None = None) -> Iterator[WebServer]:
    """Apache serving each of ``sites`` (name -> document root) on its own (free) port."""
    require(APACHE)
    ports = ports or {name: free_port() for name in sites}
    config = folder / "apache.conf"
    config.write_text(apache_config(folder, sites, ports), encoding="utf-8")
    log = folder / "error.log"
    checked = subprocess.run([APACHE, "-t", "-f", str(config)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([APACHE, "-f", str(config), "-DFOREGROUND"], stdin=subprocess.DEVNULL)
    try:
        for port in ports.values():
            _wait_http(port, process, log)
        yield WebServer("apache", ports, log)
    finally:
        _stop(process, signal.SIGWINCH)  # graceful-stop: the foreground parent exits with its workers
        _stop(process)


# --- nginx --------------------------------------------------------------------------------------


def nginx_config(folder: Path, root: Path, port: int, snippet: Path = NGINX_SNIPPET) -> str:
    """nginx as Debian configures it (mime.types in http) with the shipped snippet in the server."""
    temp = folder / "nginx-temp"
    temp.mkdir(exist_ok=True)
    return "\n".join(
        [
            "daemon off;",
            "worker_processes 1;",
            f"pid {folder / 'nginx.pid'};",
            f"error_log {folder / 'error.log'} warn;",
            *(["user www-data;"] if _as_root() else []),
            "events { worker_connections 64; }",
            "http {",
            "  include /etc/nginx/mime.types;",
            "  default_type application/octet-stream;",
            "  access_log off;",
            f"  client_body_temp_path {temp / 'body'};",
            f"  proxy_temp_path {temp / 'proxy'};",
            f"  fastcgi_temp_path {temp / 'fastcgi'};",
            "  server {",
            f"    listen 127.0.0.1:{port};",
            "    server_name localhost;",
            f"    root {root};",
            f"    include {snippet};",
            "  }",
            "}",
        ]
    )


@contextmanager
def nginx(folder: Path, root: Path, port: int | None = None) -> Iterator[WebServer]:
    """nginx serving ``root`` with the shipped hosting/nginx.conf, after ``nginx -t`` accepts it."""
    require(NGINX)
    port = port or free_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(folder, root, port), encoding="utf-8")
    log = folder / "error.log"
    base = [NGINX, "-p", str(folder), "-e", str(log), "-c", str(config)]
    checked = subprocess.run([*base, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0 and "[warn]" not in checked.stderr, checked.stderr
    process = subprocess.Popen(base, stdin=subprocess.DEVNULL)
    try:
        _wait_http(port, process, log)
        yield WebServer("nginx", {"site": port}, log)
    finally:
        _stop(process, signal.SIGQUIT)  # graceful shutdown


# --- Pure-FTPd ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FtpServer:
    port: int
    home: Path  # what the FTP account sees as /
    log: Path


def self_signed(folder: Path) -> Path:
    """A key and certificate for 127.0.0.1 in one PEM file, as Pure-FTPd reads it."""
    folder.mkdir(parents=True, exist_ok=True)
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    pem = folder / "pure-ftpd.pem"
    pem.write_bytes(key.read_bytes() + cert.read_bytes())
    pem.chmod(0o600)
    return pem


def _passive_range(size: int = 200) -> tuple[int, int]:
    """A run of free ports below the kernel's ephemeral range (which other programs' outgoing
    connections scatter over), for the passive data connections."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for _ in range(50):
        first = random.randrange(10_000, low - size)
        ports = range(first, first + size)
        if all(_bindable(port) for port in ports):
            return first, first + size - 1
    raise AssertionError("no run of free ports for passive FTP")


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def pure_ftpd(folder: Path, home: Path) -> Iterator[FtpServer]:
    """Pure-FTPd with one virtual account chrooted to ``home``; TLS optional (plain FTP and FTPS)."""
    require(PURE_FTPD)
    require(PURE_PW)
    uid, gid = web_ids()
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, uid, gid)
    passwd, database = folder / "pureftpd.passwd", folder / "pureftpd.pdb"
    subprocess.run(
        [PURE_PW, "useradd", FTP_USER, "-u", str(uid), "-g", str(gid), "-d", str(home), "-f", str(passwd)],
        input=f"{FTP_PASSWORD}\n{FTP_PASSWORD}\n",
        text=True,
        check=True,
        capture_output=True,
    )  # fmt: skip
    # pure-pw hashes with a memory-hard function that takes seconds per login on a loaded test
    # machine; a SHA-512 crypt hash (also accepted) keeps each of the deploy's logins fast.
    quick = subprocess.run(["openssl", "passwd", "-6", FTP_PASSWORD], capture_output=True, text=True, check=True)
    name, _, rest = passwd.read_text(encoding="utf-8").split(":", 2)
    passwd.write_text(f"{name}:{quick.stdout.strip()}:{rest}", encoding="utf-8")
    subprocess.run([PURE_PW, "mkdb", str(database), "-f", str(passwd)], check=True, capture_output=True)
    port = free_port()
    first, last = _passive_range()
    log = folder / "pure-ftpd.log"
    command = [
        PURE_FTPD,
        "--bind", f"127.0.0.1,{port}",
        "--login", f"puredb:{database}",
        "--noanonymous",
        "--chrooteveryone",
        "--dontresolve",
        "--passiveportrange", f"{first}:{last}",
        "--forcepassiveip", "127.0.0.1",
        "--minuid", "1",
        "--maxclientsnumber", "20",
        "--maxclientsperip", "20",
        "--tls", "1",
        "--certfile", str(self_signed(folder)),
        "--umask", "133:022",
        "--altlog", f"clf:{log}",
    ]  # fmt: skip
    errors = (folder / "pure-ftpd.err").open("wb")
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=errors, stderr=errors)
    try:
        _wait_port(port, process, folder / "pure-ftpd.err")
        yield FtpServer(port, home, log)
    finally:
        _stop(process)
        errors.close()
