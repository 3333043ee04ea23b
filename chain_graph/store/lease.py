"""One loader at a time per Neo4j database: a lease node that names its holder and expires.

A load takes the lease in one transaction (lock the node, read the holder, take it or stop),
renews it from a background thread while it writes, and switches versions only while the lease
is still its own (cypher.ACTIVATE). A holder that dies stops renewing: its lease expires after
CHAIN_GRAPH_LEASE_SECONDS (default 30), or at once when it ran on this machine and its process
is gone. A second loader does not wait (a load takes minutes): it stops with one line.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid

from neo4j import Driver
from neo4j.exceptions import DriverError, Neo4jError

from ..i18n import msg
from . import cypher
from .base import StoreError


def lease_seconds() -> float:
    return float(os.environ.get("CHAIN_GRAPH_LEASE_SECONDS", "30"))


class Lease:
    def __init__(self, driver: Driver, database: str, uri: str) -> None:
        self._driver, self._database, self._uri = driver, database, uri
        self.holder = uuid.uuid4().hex
        self.info = f"pid {os.getpid()} on {socket.gethostname()} since {time.strftime('%H:%M:%S')}"
        self._ttl_ms = int(lease_seconds() * 1000)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.lost = False

    def __enter__(self) -> "Lease":
        with self._driver.session(database=self._database) as session:
            other = session.execute_write(self._take)
        if other is not None:
            raise StoreError(msg("lock.store_busy", uri=self._uri, database=self._database, holder=other))
        self._thread = threading.Thread(target=self._renew, name="chain-graph-lease", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        try:  # best effort: with the server gone the lease simply expires
            with self._driver.session(database=self._database) as session:
                session.run(cypher.LEASE_RELEASE, holder=self.holder).consume()
        except (DriverError, Neo4jError, OSError):
            pass

    def _take(self, tx) -> str | None:
        """None when the lease is now ours, else who holds it."""
        row = tx.run(cypher.LEASE_LOCK).single()
        if row["holder"] and not row["expired"] and not _dead_here(row["host"], row["pid"]):
            return row["info"] or "?"
        tx.run(cypher.LEASE_TAKE, holder=self.holder, info=self.info, host=socket.gethostname(),
               pid=os.getpid(), ttl=self._ttl_ms).consume()
        return None

    def _renew(self) -> None:
        while not self._stop.wait(self._ttl_ms / 3000):
            try:
                records, _, _ = self._driver.execute_query(
                    cypher.LEASE_RENEW, holder=self.holder, ttl=self._ttl_ms, database_=self._database)
                self.lost = self.lost or not records[0]["held"]
            except (DriverError, Neo4jError, OSError):
                pass  # the load itself reports a lost server


def _dead_here(host: str | None, pid: int | None) -> bool:
    """A holder on this machine whose process is gone (killed loaders never release)."""
    if host != socket.gethostname() or pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
