"""The results store: one SQLite file, one row per run, keyed by `RunConfig.key`.

    with Store.open("results/runs.sqlite", create=True) as store:
        done = store.keys()                  # keys already stored (ok or failed)
        store.add(records)                   # one transaction; a stored key is kept as it is
        frame = store.runs()                 # every row, as a pandas DataFrame, sorted by key

A row holds the key, the configuration (canonical JSON and one column per field
a table groups by), the outcome (``status`` ``ok`` with the result's columns, or
``failed`` with the error text), the engine, the code version (``git describe``),
the package versions, the host and the start and end times of the batch that ran
it, and the profile of the sweep that stored it.

Safety: the file is in WAL mode and every `Store.add` is one transaction, so a
killed process leaves exactly the batches it committed.  ``key`` is the primary
key and rows are inserted with ``ON CONFLICT DO NOTHING``: no key is ever
stored twice, even by two drivers at once (``replace_failed`` lets a new
outcome replace a ``failed`` row, for a sweep that retries failed runs).
`Store.open` (and `check`, which writes nothing) refuses a file that is not
SQLite, a SQLite database of another application, a store of another schema
version, or a store whose folder cannot be written (WAL mode keeps its
``-wal`` and ``-shm`` files beside it), with a `StoreError` that says which.

Leases: two sweeps of one store share its work.  Before a driver runs a batch
it claims the batch's keys (`Store.claim`): a key that is stored, or claimed by
another driver whose lease is alive, is not its to run.  A lease lasts
``seconds`` unless renewed (`Store.renew`, while the batch runs) and ends when
the batch is stored (`Store.add`'s ``release``) or the driver gives it back
(`Store.release`); a driver that died (``kill -9``, a lost machine) leaves
leases that lapse when they expire, or at once for a driver of this host
whose process is gone.  The leases live in a table of their own, ``leases``,
made when a sweep first claims; the ``runs`` table, its rows and the schema
version are unchanged, so a store of schema version 1 without that table
opens as before and older code reads a store that has it.
"""
import contextlib
import json
import sqlite3
import time
from pathlib import Path

from reproduce.experiment.workers import Driver

APPLICATION_ID = 0x524E4D31      # 'RNM1': marks a SQLite file as one of our stores
SCHEMA_VERSION = 1               # PRAGMA user_version; bump with a migration
STATUSES = ("ok", "failed")
BUSY_TIMEOUT_S = 60              # how long a writer waits for another writer's transaction

_SQLITE_MAGIC = b"SQLite format 3\x00"

# (column, SQL type): configuration columns first, then outcome and provenance.
CONFIG_COLUMNS = (
    ("variant", "TEXT NOT NULL"), ("task", "TEXT NOT NULL"), ("steps_back", "INTEGER"),
    ("k", "INTEGER NOT NULL"), ("cell", "TEXT NOT NULL"), ("layers", "INTEGER NOT NULL"),
    ("hidden", "INTEGER NOT NULL"), ("skip", "TEXT NOT NULL"), ("delta0", "REAL NOT NULL"),
    ("seed", "INTEGER NOT NULL"), ("data_seed", "INTEGER NOT NULL"),
    ("max_epochs", "INTEGER NOT NULL"),
)
RESULT_COLUMNS = (
    ("test_error", "REAL"), ("training_error", "REAL"), ("validation_error", "REAL"),
    ("epochs", "INTEGER"), ("stop_reason", "TEXT"), ("seconds", "REAL"),
)
PROVENANCE_COLUMNS = (
    ("engine", "TEXT NOT NULL"), ("code_version", "TEXT NOT NULL"),
    ("versions", "TEXT NOT NULL"), ("host", "TEXT NOT NULL"),
    ("started_at", "TEXT NOT NULL"), ("finished_at", "TEXT NOT NULL"),
    ("profile", "TEXT"),
)
COLUMNS = (("key", "TEXT PRIMARY KEY"), ("config", "TEXT NOT NULL"), *CONFIG_COLUMNS,
           ("status", f"TEXT NOT NULL CHECK (status IN {STATUSES!r})"), ("error", "TEXT"),
           *RESULT_COLUMNS, *PROVENANCE_COLUMNS)
_NAMES = tuple(name for name, _ in COLUMNS)

_CREATE = (
    "CREATE TABLE runs (\n    " + ",\n    ".join(f"{n} {t}" for n, t in COLUMNS) + "\n)",
    "CREATE INDEX runs_variant_cell ON runs (variant, cell)",
)
# Which driver runs which key, until when (time.time() seconds).
_CREATE_LEASES = ("CREATE TABLE IF NOT EXISTS leases (key TEXT PRIMARY KEY, "
                  "driver TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, "
                  "expires REAL NOT NULL)")
_SQL_VARIABLES = 500             # keys per IN (...) list


def _chunks(keys):
    return [keys[i:i + _SQL_VARIABLES] for i in range(0, len(keys), _SQL_VARIABLES)]


class StoreError(Exception):
    """The path is not a usable results store (the message says why)."""


def check(path):
    """Raise `StoreError` unless `path` is absent (and can be created) or an existing
    store whose folder can be written; writes nothing."""
    path = Path(path)
    try:
        if not path.exists():
            _check_creatable(path)  # sweep creates the store there
            return
        _check_file(path)
        if path.stat().st_size == 0:
            return
    except OSError as exc:          # e.g. a name longer than the file system allows
        raise StoreError(_os_error(path, exc)) from None
    try:
        # read-write without create: a read-only connection would leave -wal/-shm files behind
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open: {exc}") from None
    try:
        _check_schema(conn, path, allow_blank=True)
    finally:
        conn.close()


def _os_error(path, exc):
    text = str(path) if len(str(path)) <= 80 else f"{str(path)[:39]}...{str(path)[-38:]}"
    return f"{text}: {(exc.strerror or str(exc)).rstrip('.')}"


def _check_creatable(path):
    """Raise StoreError unless the store `path` (and its -wal file) can be created."""
    from reproduce.store.files import check_writable
    directory = path.parent
    for parent in (directory, *directory.parents):
        if parent.exists():
            if not parent.is_dir():
                raise StoreError(f"{directory}: {parent} is not a directory")
            break
    try:
        check_writable(directory, [path.name + "-wal"])
    except OSError as exc:
        raise StoreError(f"{_os_error(path, exc)}: cannot create the results store "
                         "there") from None


def _folder_problem(path):
    """Why the folder of the store `path` cannot take its -wal and -shm files, or None."""
    from reproduce.store.files import check_writable
    try:
        check_writable(path.parent)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _check_file(path):
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a results store")
    try:
        with open(path, "rb") as f:
            head = f.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not an SQLite file, so not a results store "
                         "(python -m reproduce sweep creates one)")


def _check_schema(conn, path, allow_blank):
    """Raise StoreError unless conn is one of our stores; True if it is a blank database."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        n_objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        problem = _folder_problem(Path(path))
        if problem is not None:
            raise StoreError(f"{path}: its folder cannot be written ({problem}), and a "
                             "results store (SQLite in WAL mode) keeps its -wal and -shm "
                             "files beside it: copy it to a writable folder") from None
        raise StoreError(f"{path} is not a readable SQLite database ({exc})") from None
    if app_id == 0 and version == 0 and n_objects == 0:
        if allow_blank:
            return True  # an empty database (e.g. a creation that was killed): ours to set up
        raise StoreError(f"{path} is an empty SQLite database, not a results store")
    if app_id != APPLICATION_ID:
        raise StoreError(f"{path} is an SQLite database of another application "
                         f"(application_id {app_id:#x}), not a results store")
    if version != SCHEMA_VERSION:
        raise StoreError(f"{path} is a results store of schema version {version}; this code "
                         f"reads version {SCHEMA_VERSION}")
    return False


class Store:
    """An open results store; use `Store.open`."""

    def __init__(self, conn, path):
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path, create=False):
        """Open the store at `path`, creating it (and its directory) if `create`.

        Raises
        ------
        StoreError
            The file is missing (and not `create`), unreadable, not SQLite, another
            application's database, or a store of another schema version.  Nothing
            is written to a file that is refused.
        """
        path = Path(path)
        try:
            exists = path.exists()
        except OSError as exc:      # e.g. a name longer than the file system allows
            raise StoreError(_os_error(path, exc)) from None
        if not exists and not create:
            raise StoreError(f"{path}: no such results store (python -m reproduce sweep "
                             "creates one)")
        if exists:
            _check_file(path)
        else:
            _check_creatable(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path.parent}: cannot create: {exc.strerror or exc}") from None
        try:
            # autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open: {exc}") from None
        try:
            blank = _check_schema(conn, path, allow_blank=create)
            if blank:
                cls._create(conn, path)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    @staticmethod
    def _create(conn, path):
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _check_schema(conn, path, allow_blank=True):  # nobody set it up meanwhile
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                for statement in _CREATE:
                    conn.execute(statement)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self):
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def keys(self, status=None):
        """The set of stored keys, of one `status` or (default) of any."""
        if status is None:
            return {key for (key,) in self._conn.execute("SELECT key FROM runs")}
        return {key for (key,) in self._conn.execute("SELECT key FROM runs WHERE status = ?",
                                                     (status,))}

    def counts(self):
        """``{"ok": n, "failed": m}``."""
        counts = dict.fromkeys(STATUSES, 0)
        counts.update(self._conn.execute("SELECT status, count(*) FROM runs GROUP BY status"))
        return counts

    def __len__(self):
        return self._conn.execute("SELECT count(*) FROM runs").fetchone()[0]

    @staticmethod
    def record(config, *, status, engine, code_version, versions, host, started_at,
               finished_at, result=None, error=None, profile=None):
        """One row of the store, as a dict, from a `RunConfig` and its outcome.

        `result` is a `RunResult.to_dict()` (``status="ok"``) or None
        (``status="failed"``, with the `error` text).
        """
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
        if (status == "ok") != (result is not None):
            raise ValueError("an 'ok' record needs a result and a 'failed' one must not have one")
        if status == "failed" and not error:
            raise ValueError("a 'failed' record needs the error text")
        row = {"key": config.key, "config": config.to_json(), "variant": config.variant_id}
        row.update({name: getattr(config, name) for name, _ in CONFIG_COLUMNS if name != "variant"})
        row.update(status=status, error=error)
        row.update({name: (result or {}).get(name) for name, _ in RESULT_COLUMNS})
        row.update(engine=engine, code_version=code_version,
                   versions=json.dumps(versions, sort_keys=True), host=host,
                   started_at=started_at, finished_at=finished_at, profile=profile)
        return row

    def add(self, records, replace_failed=False, release=None):
        """Insert `records` (dicts from `record`) in one transaction.

        A key already stored is left as it is -- unless `replace_failed` and its
        row is ``failed``, which the new record then replaces (the key keeps one
        row).  Given a `Driver` as `release`, its leases of these keys end in the
        same transaction.  Returns the number of rows inserted or replaced.
        """
        rows = [tuple(r[name] for name in _NAMES) for r in records]
        conflict = "DO NOTHING"
        if replace_failed:
            conflict = ("DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in _NAMES[1:])
                        + " WHERE runs.status = 'failed'")
        sql = (f"INSERT INTO runs ({', '.join(_NAMES)}) VALUES ({', '.join('?' * len(_NAMES))}) "
               f"ON CONFLICT(key) {conflict}")
        with self._transaction():
            before = self._conn.total_changes
            self._conn.executemany(sql, rows)
            inserted = self._conn.total_changes - before
            if release is not None:
                self._release(release, [r["key"] for r in records])
        return inserted

    @contextlib.contextmanager
    def _transaction(self):
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def _has_leases(self):
        return self._conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                  "AND name = 'leases'").fetchone()[0] > 0

    def claim(self, keys, driver, seconds, done="any"):
        """Lease to `driver` for `seconds` the `keys` that are neither stored nor leased
        to another driver that is alive, in one transaction.

        Parameters
        ----------
        keys : iterable of str
        driver : Driver
        seconds : float
            How long the lease lasts unless `renew` extends it.
        done : ``"any"`` or ``"ok"``
            Which stored keys count as done: any row, or only ``ok`` ones (a sweep that
            retries failed runs).

        Returns
        -------
        (set of str, dict)
            The keys now leased to `driver` (its own earlier leases among them), and
            ``{key: Driver}`` of the keys another live driver holds.  The rest are
            stored.
        """
        keys = list(dict.fromkeys(keys))
        now = time.time()
        status = "" if done == "any" else " AND status = 'ok'"
        with self._transaction():
            self._conn.execute(_CREATE_LEASES)
            stored, held = set(), {}
            for part in _chunks(keys):
                marks = ", ".join("?" * len(part))
                stored.update(k for (k,) in self._conn.execute(
                    f"SELECT key FROM runs WHERE key IN ({marks}){status}", part))
                for key, did, host, pid, expires in self._conn.execute(
                        f"SELECT key, driver, host, pid, expires FROM leases WHERE key IN "
                        f"({marks})", part):
                    other = Driver(did, host, pid)
                    if did != driver.id and expires > now and other.alive():
                        held[key] = other
            mine = [k for k in keys if k not in stored and k not in held]
            self._conn.executemany(
                "INSERT INTO leases (key, driver, host, pid, expires) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET driver = excluded.driver, host = "
                "excluded.host, pid = excluded.pid, expires = excluded.expires",
                [(k, driver.id, driver.host, driver.pid, now + seconds) for k in mine])
        return set(mine), {k: held[k] for k in keys if k in held}

    def renew(self, driver, seconds):
        """Extend every lease of `driver` to `seconds` from now."""
        with self._transaction():
            if self._has_leases():
                self._conn.execute("UPDATE leases SET expires = ? WHERE driver = ?",
                                   (time.time() + seconds, driver.id))

    def release(self, driver, keys=None):
        """End the leases of `driver` (of `keys`, or all of them)."""
        with self._transaction():
            self._release(driver, keys)

    def _release(self, driver, keys=None):
        if not self._has_leases():
            return
        if keys is None:
            self._conn.execute("DELETE FROM leases WHERE driver = ?", (driver.id,))
            return
        for part in _chunks(list(keys)):
            self._conn.execute(f"DELETE FROM leases WHERE driver = ? AND key IN "
                               f"({', '.join('?' * len(part))})", (driver.id, *part))

    def leases(self):
        """``{key: (Driver, expires)}`` of every lease (live or not), for a look."""
        if not self._has_leases():
            return {}
        return {key: (Driver(did, host, pid), expires) for key, did, host, pid, expires
                in self._conn.execute("SELECT key, driver, host, pid, expires FROM leases")}

    def adopt(self, other, keys):
        """Copy the ``ok`` rows of `keys` that the store at `other` holds and this one
        lacks, in one transaction; return how many.  A key is a whole configuration
        and the engines are deterministic, so a run another store has is this run."""
        _check_file(Path(other))
        keys = sorted(set(keys))
        self._conn.execute("ATTACH DATABASE ? AS other", (str(other),))
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
                self._conn.executemany("INSERT INTO wanted VALUES (?)", ((k,) for k in keys))
                copied = self._conn.execute(
                    f"INSERT INTO runs ({', '.join(_NAMES)}) SELECT {', '.join(_NAMES)} "
                    "FROM other.runs WHERE status = 'ok' AND key IN (SELECT key FROM wanted) "
                    "ON CONFLICT(key) DO NOTHING").rowcount
                self._conn.execute("DROP TABLE wanted")
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            return copied
        finally:
            self._conn.execute("DETACH DATABASE other")

    def runs(self):
        """Every row as a pandas DataFrame, sorted by key (so any order of insertion
        gives the same frame)."""
        import pandas as pd
        cursor = self._conn.execute(f"SELECT {', '.join(_NAMES)} FROM runs ORDER BY key")
        return pd.DataFrame.from_records(cursor.fetchall(), columns=list(_NAMES))
