"""The embedded Bus: a durable queue in SQLite that delivers like Pub/Sub push.

``publish`` stores one row per subscription (fan-out). Worker threads deliver each row to
its subscriber function as the binary-mode CloudEvent a Pub/Sub trigger sends; a 2xx
acknowledges, anything else is retried with exponential backoff, and after the topic's
maximum attempts the row moves to the dead-letter state and, as Pub/Sub forwards it to the
topic's dead-letter topic, is delivered once to the dead-letter receiver (``dead_letter_to``,
the notifier locally as in production) with the attributes Pub/Sub adds. Rows survive a
restart.

A claimed row carries a lease, which a keeper thread renews while this process is still
delivering it (as Pub/Sub's client extends its ack deadline), so a slow delivery is never
handed to a second worker. A row whose lease ran out (its process died) is claimed again by
any running worker — not only at the next start — so a message lost to a crash is
redelivered within one lease period; the reclaim counts as a delivery attempt.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from shared import delivery, topics
from shared.adapters.sqlite_connections import ThreadConnections
from shared.events import Event

log = logging.getLogger(__name__)

# (function name, headers, body) -> HTTP status
Deliver = Callable[[str, dict[str, str], bytes], int]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue (
    id TEXT PRIMARY KEY, topic TEXT NOT NULL, subscriber TEXT NOT NULL,
    data BLOB NOT NULL, attributes TEXT NOT NULL, published REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', lease_until REAL, last_error TEXT
);
CREATE INDEX IF NOT EXISTS queue_due ON queue (state, next_at);
"""


class LocalBus:
    def __init__(
        self,
        path: Path,
        project: str,
        deliver: Deliver | None = None,
        *,
        workers: int = 4,
        backoff_seconds: float = 0.2,
        max_backoff_seconds: float = 10.0,
        lease_seconds: float = 120.0,
        dead_letter_to: str | None = None,
    ) -> None:
        self.path = Path(path)
        self._connections = ThreadConnections(self.path)
        self.project = project
        self._deliver = deliver
        self._workers = workers
        self._backoff = backoff_seconds
        self._max_backoff = max_backoff_seconds
        self._lease = lease_seconds
        self.dead_letter_to = dead_letter_to
        self._wake = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._stopped = False
        self._busy = 0
        self._busy_lock = threading.Lock()
        self._held: set[str] = set()  # rows this process is delivering (leases renewed)
        self._stopping = threading.Event()
        self._db().executescript(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        return self._connections.get()

    # -- the Bus port ------------------------------------------------------------------
    def publish(self, event: Event) -> str:
        data, attributes = delivery.encode(event)
        message_id = uuid.uuid4().hex
        now = time.time()
        rows = [
            (f"{message_id}:{sub}", event.topic, sub, data, json.dumps(attributes), now, now)
            for sub in topics.registry().subscribers(event.topic)
        ]
        self._db().executemany(
            "INSERT INTO queue (id, topic, subscriber, data, attributes, published, next_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        with self._wake:
            self._wake.notify_all()
        log.info("published", extra={"topic": event.topic, "event_id": event.event_id})
        return message_id

    # -- delivery ----------------------------------------------------------------------
    def start(self, deliver: Deliver | None = None) -> None:
        if deliver is not None:
            self._deliver = deliver
        if self._deliver is None:
            raise RuntimeError("LocalBus.start needs a deliver function")
        self._db().execute(
            "UPDATE queue SET state='pending', lease_until=NULL "
            "WHERE state='inflight' AND lease_until < ?",
            (time.time(),),
        )
        for index in range(self._workers):
            thread = threading.Thread(target=self._work, name=f"bus-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)
        keeper = threading.Thread(target=self._renew_leases, name="bus-leases", daemon=True)
        keeper.start()
        self._threads.append(keeper)

    def _renew_leases(self) -> None:
        while not self._stopping.wait(self._lease / 3):
            with self._busy_lock:
                held = list(self._held)
            if held:
                until = time.time() + self._lease
                self._db().executemany(
                    "UPDATE queue SET lease_until=? WHERE id=? AND state='inflight'",
                    [(until, row_id) for row_id in held])

    def stop(self) -> None:
        self._stopped = True
        self._stopping.set()
        with self._wake:
            self._wake.notify_all()
        for thread in self._threads:
            thread.join(timeout=5)

    def pending(self) -> int:
        row = self._db().execute(
            "SELECT COUNT(*) FROM queue WHERE state IN ('pending', 'inflight')"
        ).fetchone()
        return int(row[0])

    def dead_letters(self) -> list[dict[str, object]]:
        rows = self._db().execute(
            "SELECT id, topic, subscriber, attempts, last_error FROM queue WHERE state='dead'"
        ).fetchall()
        keys = ("id", "topic", "subscriber", "attempts", "last_error")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is pending or in flight (for tests, benchmarks and CLIs)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pending() == 0 and self._busy == 0:
                return True
            time.sleep(0.01)
        return False

    def _idle_wait(self) -> float:
        """Until the next retry is due (at most 0.5 s, for publishes from other processes)."""
        row = self._db().execute(
            "SELECT MIN(CASE state WHEN 'pending' THEN next_at ELSE lease_until END) "
            "FROM queue WHERE state IN ('pending', 'inflight')"
        ).fetchone()
        if row[0] is None:
            return 0.5
        return float(min(0.5, max(0.001, row[0] - time.time())))

    def _claim(self) -> tuple[str, str, str, bytes, str, float, int] | None:
        now = time.time()
        row = self._db().execute(
            "UPDATE queue SET attempts = attempts + (state = 'inflight'), state='inflight',"
            " lease_until=? WHERE id = ("
            " SELECT id FROM queue WHERE (state='pending' AND next_at <= ?)"
            " OR (state='inflight' AND lease_until < ?)"
            " ORDER BY next_at LIMIT 1) "
            "RETURNING id, topic, subscriber, data, attributes, published, attempts",
            (now + self._lease, now, now),
        ).fetchone()
        return row  # type: ignore[no-any-return]

    def _work(self) -> None:
        while not self._stopped:
            with self._wake:
                row = self._claim()
                if row is None:
                    self._wake.wait(self._idle_wait())
                    continue
            with self._busy_lock:
                self._busy += 1
                self._held.add(row[0])
            try:
                self._deliver_row(*row)
            finally:
                with self._busy_lock:
                    self._busy -= 1
                    self._held.discard(row[0])

    def _deliver_row(
        self, row_id: str, topic: str, subscriber: str, data: bytes, attrs: str,
        published: float, attempts: int,
    ) -> None:
        headers, body = delivery.to_cloudevent(
            self.project, topic, row_id.split(":", 1)[0], data, json.loads(attrs),
            datetime.fromtimestamp(published, UTC),
        )
        assert self._deliver is not None
        try:
            status = self._deliver(subscriber, headers, body)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except Exception as exc:  # a delivery failure is a nack, as Pub/Sub treats it
            log.exception("delivery raised", extra={"topic": topic, "subscriber": subscriber})
            error = repr(exc)
        db = self._db()
        if error is None:
            db.execute("DELETE FROM queue WHERE id=?", (row_id,))
            return
        attempts += 1
        if attempts >= topics.registry().max_delivery_attempts:
            db.execute(
                "UPDATE queue SET state='dead', attempts=?, last_error=? WHERE id=?",
                (attempts, error, row_id),
            )
            log.error("dead-lettered", extra={"topic": topic, "subscriber": subscriber,
                                              "attempts": attempts, "error": error})
            self._forward_dead(topic, subscriber, data, json.loads(attrs), attempts)
            return
        delay = min(self._max_backoff, self._backoff * 2**attempts) * random.uniform(0.5, 1)  # noqa: S311
        db.execute(
            "UPDATE queue SET state='pending', attempts=?, next_at=?, last_error=? WHERE id=?",
            (attempts, time.time() + delay, error, row_id),
        )

    def _forward_dead(self, topic: str, subscriber: str, data: bytes,
                      attributes: dict[str, str], attempts: int) -> None:
        """What Pub/Sub does with a dead letter: publish it on ``<topic>.dead-letter``."""
        if self.dead_letter_to is None or self._deliver is None:
            return
        dead_topic = topic + topics.registry().dead_letter_suffix
        attributes = {**attributes,
                      "CloudPubSubDeadLetterSourceSubscription":
                          f"projects/{self.project}/subscriptions/{topic}.{subscriber}",
                      "CloudPubSubDeadLetterSourceDeliveryCount": str(attempts)}
        headers, body = delivery.to_cloudevent(self.project, dead_topic, uuid.uuid4().hex,
                                               data, attributes)
        try:
            status = self._deliver(self.dead_letter_to, headers, body)
        except Exception:  # the row stays dead in the queue either way
            log.exception("the dead-letter receiver raised", extra={"topic": dead_topic})
            return
        if not 200 <= status < 300:
            log.error("the dead-letter receiver refused", extra={"topic": dead_topic,
                                                                 "status": status})
