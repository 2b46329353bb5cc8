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
outcome replace a ``failed`` row, for a sweep that retries failed runs).  `Store.open` (and `check`, which
writes nothing) refuses a file that is not SQLite, a SQLite database of
another application, or a store of another schema version, with a
`StoreError` that says which.
"""
import json
import sqlite3
from pathlib import Path

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


class StoreError(Exception):
    """The path is not a usable results store (the message says why)."""


def check(path):
    """Raise `StoreError` unless `path` is absent or an existing store; writes nothing."""
    path = Path(path)
    if not path.exists():
        _check_creatable(path.parent)  # sweep creates the store there
        return
    _check_file(path)
    if path.stat().st_size == 0:
        return
    try:
        # read-write without create: a read-only connection would leave -wal/-shm files behind
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open: {exc}") from None
    try:
        _check_schema(conn, path, allow_blank=True)
    finally:
        conn.close()


def _check_creatable(directory):
    for parent in (directory, *directory.parents):
        if parent.exists():
            if not parent.is_dir():
                raise StoreError(f"{directory}: {parent} is not a directory")
            return


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
        if not path.exists() and not create:
            raise StoreError(f"{path}: no such results store (python -m reproduce sweep "
                             "creates one)")
        if path.exists():
            _check_file(path)
        else:
            _check_creatable(path.parent)
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

    def add(self, records, replace_failed=False):
        """Insert `records` (dicts from `record`) in one transaction.

        A key already stored is left as it is -- unless `replace_failed` and its
        row is ``failed``, which the new record then replaces (the key keeps one
        row).  Returns the number of rows inserted or replaced.
        """
        rows = [tuple(r[name] for name in _NAMES) for r in records]
        conflict = "DO NOTHING"
        if replace_failed:
            conflict = ("DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in _NAMES[1:])
                        + " WHERE runs.status = 'failed'")
        sql = (f"INSERT INTO runs ({', '.join(_NAMES)}) VALUES ({', '.join('?' * len(_NAMES))}) "
               f"ON CONFLICT(key) {conflict}")
        before = self._conn.total_changes
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.executemany(sql, rows)
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        return self._conn.total_changes - before

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
