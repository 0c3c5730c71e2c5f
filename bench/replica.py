"""Throw-away PostgreSQL clusters on loopback: a primary (initdb) and a streaming replica of any primary
(`pg_basebackup -R -X stream`). Used by the replica test (tests/platform/replica.py) and meant for the
benchmark (bench/run.py: `replica_start(primary_port=5432, ...)` then DATABASE_REPLICA_URL=replica.url(name)).

The server refuses to run as root: when we are root, every server-side command runs as the postgres user
(`runuser -u postgres`) in a temporary directory that user owns. libfaketime (CI's `make test-at`) is kept out
of the servers' environment: a standby whose clock is two years ahead of the primary's commit stamps would
report two years of lag.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_SCRUBBED = ("LD_PRELOAD", "FAKETIME", "FAKETIME_SHARED", "FAKETIME_NO_CACHE", "DONT_FAKE_MONOTONIC")


def pg_bin(name: str) -> str | None:
    """The newest installed PostgreSQL's `name` (Debian keeps server tools out of PATH), else PATH's, else None."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4] or 0))
    return found[-1] if found else shutil.which(name)


def _as_root() -> bool:
    return os.geteuid() == 0


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED and not k.startswith("FAKETIME")}
    env.pop("PGDATABASE", None)
    return env


def _run(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    command = ["runuser", "-u", "postgres", "--", *args] if _as_root() else list(args)
    return subprocess.run(command, check=check, capture_output=True, text=True, env=clean_env(), timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unavailable_reason() -> str | None:
    """Why clusters cannot be made here, or None."""
    for tool in ("initdb", "pg_ctl", "pg_basebackup"):
        if not pg_bin(tool):
            return f"{tool} is not installed"
    if _as_root() and not shutil.which("runuser"):
        return "running as root without runuser (the server refuses root)"
    if _as_root():
        try:
            subprocess.run(["id", "postgres"], check=True, capture_output=True)
        except subprocess.CalledProcessError:
            return "running as root and there is no postgres user to run the server"
    return None


def replication_refused(*, host: str, port: int, user: str) -> str | None:
    """pg_hba.conf's verdict on a replication connection from here: None when allowed, else the error."""
    psql = pg_bin("psql") or "psql"
    dsn = f"host={host} port={port} user={user} dbname=replication replication=true connect_timeout=5"
    done = subprocess.run(
        [psql, dsn, "-XAtc", "IDENTIFY_SYSTEM"], capture_output=True, text=True, env=clean_env(), check=False
    )
    return None if done.returncode == 0 else (done.stderr.strip() or f"psql exited {done.returncode}")


@dataclass
class Cluster:
    """One running server: its data directory under `workdir`, its loopback port."""

    workdir: Path
    port: int
    user: str = "postgres"
    options: tuple[str, ...] = ()  # server settings given at start, kept for a restart

    @property
    def datadir(self) -> Path:
        return self.workdir / "data"

    @property
    def log(self) -> Path:
        return self.workdir / "server.log"

    def url(self, name: str) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{name}"

    def start(self, *extra: str) -> None:
        """Start the server (again), with `extra` settings ("-c name=value") or those of its first start."""
        self.options = extra or self.options
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.workdir}"
        options = " ".join((options, *self.options))
        _run(pg_bin("pg_ctl"), "-D", str(self.datadir), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        _run(pg_bin("pg_ctl"), "-D", str(self.datadir), "-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.workdir, ignore_errors=True)


def _workdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if _as_root():
        shutil.chown(path, "postgres", "postgres")
    path.chmod(0o700)
    return path


def primary_start(*, port: int | None = None, user: str = "postgres") -> Cluster:
    """A new, empty primary on loopback that lets loopback replication in (trust): initdb + start, ~1 s."""
    cluster = Cluster(_workdir("tthtcd-primary-"), port or free_port(), user)
    try:
        _run(
            pg_bin("initdb"), "-D", str(cluster.datadir), "-U", user, "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        with open(cluster.datadir / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        # Throw-away data: no fsync. wal_level=replica and max_wal_senders are PostgreSQL's defaults.
        cluster.start("-c fsync=off -c full_page_writes=off")
    except BaseException:
        cluster.remove()
        raise
    return cluster


def replica_start(*, primary_port: int, primary_host: str = "127.0.0.1", user: str = "postgres",
                  port: int | None = None) -> Cluster:  # fmt: skip
    """A hot standby streaming from the primary: `pg_basebackup -R -X stream` (the whole cluster) + start."""
    cluster = Cluster(_workdir("tthtcd-replica-"), port or free_port(), user)
    try:
        _run(
            pg_bin("pg_basebackup"), "-h", primary_host, "-p", str(primary_port), "-U", user,
            "-D", str(cluster.datadir), "-R", "-X", "stream", "-c", "fast", "--no-sync",
            timeout=1800,
        )  # fmt: skip
        # Debian keeps postgresql.conf and pg_hba.conf in /etc/postgresql, outside the copied data directory.
        if not (cluster.datadir / "postgresql.conf").exists():
            _write(cluster.datadir / "postgresql.conf", "# a throw-away standby (bench/replica.py)\n")
            _write(cluster.datadir / "pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n")
            _write(cluster.datadir / "pg_ident.conf", "")
        cluster.start("-c hot_standby=on -c fsync=off", *_standby_minimums(primary_host, primary_port, user))
    except BaseException:
        cluster.remove()
        raise
    return cluster


# A hot standby refuses to start with less of these than its primary has.
_MATCHED = ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
            "max_locks_per_transaction")  # fmt: skip


def _standby_minimums(host: str, port: int, user: str) -> list[str]:
    names = ", ".join(f"'{name}'" for name in _MATCHED)
    done = subprocess.run(
        [pg_bin("psql") or "psql", "-h", host, "-p", str(port), "-U", user, "-d", "postgres", "-XAt", "-F", "=",
         "-c", f"SELECT name, setting FROM pg_settings WHERE name IN ({names})"],
        check=True, capture_output=True, text=True, env=clean_env(),
    )  # fmt: skip
    return [f"-c {line}" for line in done.stdout.split()]


def _write(path: Path, text: str) -> None:
    path.write_text(text)
    if _as_root():
        shutil.chown(path, "postgres", "postgres")


def wait_until(predicate, *, timeout: float = 30.0, every: float = 0.01) -> float:
    """Seconds until predicate() was true (polled); TimeoutError after `timeout`."""
    started = time.perf_counter()
    while True:
        if predicate():
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"not true within {timeout} s")
        time.sleep(every)


@contextlib.contextmanager
def streaming_replica(*, primary_port: int = 5432, primary_host: str = "127.0.0.1", user: str = "postgres"):
    """A standby of the cluster on primary_port for the block (bench/run.py), removed after it.

    Yields the Cluster; `cluster.url(database)` is the DATABASE_REPLICA_URL for the portal under test. The base
    backup copies the whole cluster: measured here 3.7–4.1 s for 975 MB (--no-sync, ≈250 MB/s). Taken before
    the benchmark's data is seeded, it is small and the seeding streams over instead (the standby replays it).
    """
    reason = unavailable_reason() or replication_refused(host=primary_host, port=primary_port, user=user)
    if reason:
        raise RuntimeError(f"no streaming replica of {primary_host}:{primary_port}: {reason}")
    standby = replica_start(primary_port=primary_port, primary_host=primary_host, user=user)
    try:
        yield standby
    finally:
        standby.remove()


def copy_database(
    primary: Cluster,
    name: str,
    *,
    host: str = "127.0.0.1",
    port: int | str = 5432,
    user: str = "postgres",
    password: str | None = None,
) -> None:
    """Database `name` of the server at host:port into `primary` under the same name (pg_dump | psql): the
    replica test's and the benchmark's way onto a throw-away primary when the source refuses replication."""
    env = clean_env()
    if password:
        env["PGPASSWORD"] = password
    psql = pg_bin("psql")
    subprocess.run(
        [psql, "-h", "127.0.0.1", "-p", str(primary.port), "-U", primary.user, "-d", "postgres", "-XqAc",
         f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8'],
        check=True, capture_output=True, env=clean_env(),
    )  # fmt: skip
    dump = subprocess.Popen(
        [pg_bin("pg_dump"), "-h", host, "-p", str(port), "-U", user, "--no-owner", "--no-privileges", name],
        stdout=subprocess.PIPE, env=env,
    )  # fmt: skip
    subprocess.run(
        [psql, "-h", "127.0.0.1", "-p", str(primary.port), "-U", primary.user, "-d", name, "-Xq",
         "-v", "ON_ERROR_STOP=1"],
        stdin=dump.stdout, check=True, capture_output=True, env=clean_env(),
    )  # fmt: skip
    if dump.wait() != 0:
        raise RuntimeError(f"pg_dump of {name} failed")
