"""A private PostgreSQL server for the cross-cloud example's test: Debian's `postgresql` package
(installed with apt-get when missing and running as root), a cluster made with `initdb` in a
temporary directory, listening on a free loopback port with password (SCRAM) authentication.

`python -m tests.examples.postgres_server` starts one by hand and prints its address and admin
password (Ctrl-C stops and removes it)."""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Upper bounds (seconds) of `apt-get update` and `apt-get install`: without a mirror apt gives up
# sooner (its own network timeouts below), but nothing here can hang.
APT_UPDATE_TIMEOUT, APT_INSTALL_TIMEOUT = 180, 420
_APT_OPTIONS = [
    "-o",
    "Acquire::http::Timeout=20",
    "-o",
    "Acquire::https::Timeout=20",
    "-o",
    "Acquire::Retries=1",
    "-o",
    "DPkg::Lock::Timeout=60",
]


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed and could not be installed."""


@dataclass
class PostgresServer:
    host: str
    port: int
    admin_user: str
    admin_password: str
    directory: Path
    bin_dir: Path

    def conninfo(self, dbname: str = "postgres", user: str | None = None, password: str | None = None) -> str:
        user = user or self.admin_user
        password = self.admin_password if password is None else password
        return f"host={self.host} port={self.port} dbname={dbname} user={user} password={password}"


def find_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found = [d for d in found if (d / "pg_ctl").exists()]
    found.sort(key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)
    return found[-1] if found else None


def install_postgres() -> Path:
    """Find PostgreSQL's binaries, installing Debian's `postgresql` first if they are missing."""
    bin_dir = find_bin_dir()
    if bin_dir is not None:
        return bin_dir
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and it cannot be "
            "installed here (needs root and apt-get): run `apt-get install postgresql`"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = [
        (["apt-get", *_APT_OPTIONS, "update"], APT_UPDATE_TIMEOUT),
        (
            ["apt-get", *_APT_OPTIONS, "install", "-y", "--no-install-recommends", "postgresql"],
            APT_INSTALL_TIMEOUT,
        ),
    ]
    for step, timeout in steps:
        try:
            done = subprocess.run(
                step, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise PostgresUnavailable(f"`{' '.join(step)}` did not finish in {timeout} s") from None
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"`{' '.join(step)}` failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb")
    return bin_dir


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _postgres_ids() -> tuple[int, int] | None:
    """PostgreSQL refuses to run as root: as root, it runs as the `postgres` user (uid, gid);
    otherwise as the current user (None)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid


def _run_as_postgres(args: list[str], *, cwd: Path | None = None, timeout: float = 120) -> str:
    """Run a PostgreSQL program (as the `postgres` user when we are root); its output, or raise.
    The user is switched by subprocess itself (no Python in the child): safe with threads about."""
    ids = _postgres_ids()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(LC_ALL="C", LANG="C")
    done = subprocess.run(
        args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        user=ids[0] if ids else None,
        group=ids[1] if ids else None,
        extra_groups=[] if ids else None,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return done.stdout


def start_postgres(admin_user: str = "postgres") -> PostgresServer:
    """initdb + pg_ctl start of a new cluster on a free loopback port (password auth over TCP)."""
    bin_dir = install_postgres()
    uid, gid = _postgres_ids() or (os.getuid(), os.getgid())
    directory = Path(tempfile.mkdtemp(prefix="retool-pg-"))
    os.chown(directory, uid, gid)
    password = secrets.token_hex(12)
    pwfile = directory / "admin-password"
    pwfile.write_text(password + "\n")
    os.chown(pwfile, uid, gid)
    data, log = directory / "data", directory / "server.log"
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={directory} -c fsync=off"
    try:
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", admin_user, f"--pwfile={pwfile}"]
        initdb += ["--auth-host=scram-sha-256", "--auth-local=scram-sha-256"]
        initdb += ["--encoding=UTF8", "--no-locale", "--no-sync"]
        _run_as_postgres(initdb, cwd=directory)
        start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options]
        _run_as_postgres([*start, "-w", "-t", "60", "start"], cwd=directory, timeout=90)
    except BaseException as exc:
        server_log = log.read_text() if log.exists() else ""
        shutil.rmtree(directory, ignore_errors=True)
        if server_log and isinstance(exc, RuntimeError):
            raise RuntimeError(f"{exc}\nserver log:\n{server_log}") from None
        raise
    finally:
        pwfile.unlink(missing_ok=True)
    return PostgresServer("127.0.0.1", port, admin_user, password, directory, bin_dir)


def stop_postgres(server: PostgresServer) -> None:
    stop = [str(server.bin_dir / "pg_ctl"), "-D", str(server.directory / "data"), "-m", "fast", "-w", "stop"]
    try:
        _run_as_postgres(stop, timeout=60)
    finally:
        shutil.rmtree(server.directory, ignore_errors=True)


def main() -> None:
    server = start_postgres()
    print(f"PostgreSQL {server.bin_dir.parent.name} at {server.host}:{server.port}", flush=True)
    print(f"admin user {server.admin_user}, password {server.admin_password}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stop_postgres(server)


if __name__ == "__main__":
    main()
