"""``runs.csv.gz``: the committed form of a store's runs.

One row per run, sorted by key: the key, every `RunConfig` field and the
variant id, then the outcome (``status``, test/training/validation error,
epochs, stop reason, engine) -- no host, timing or version noise, so the same
runs give the same bytes (gzip's timestamp is zeroed).  A results store is a
working file that is not committed; this file is what a later session, or a
reader without the store, tabulates from::

    write(store.runs(), "results/paper/stated/runs.csv.gz")
    runs = read("results/paper/stated/runs.csv.gz")   # the columns Store.runs() has
"""
import dataclasses
import gzip
import io

import pandas as pd

from reproduce.experiment.config import RunConfig
from reproduce.store.files import replacing

CONFIG_FIELDS = tuple(f.name for f in dataclasses.fields(RunConfig))
OUTCOME_COLUMNS = ("status", "test_error", "training_error", "validation_error", "epochs",
                   "stop_reason", "engine")
COLUMNS = ("key", "variant", *CONFIG_FIELDS, *OUTCOME_COLUMNS)
NUMBER_COLUMNS = ("test_error", "training_error", "validation_error")


def from_store_rows(runs):
    """The `COLUMNS` of store rows (`Store.runs()`), sorted by key."""
    configs = pd.DataFrame([dataclasses.asdict(RunConfig.from_json(text))
                            for text in runs["config"]], index=runs.index,
                           columns=list(CONFIG_FIELDS))     # (columns: an empty store too)
    frame = pd.concat([runs[["key", "variant"]], configs, runs[list(OUTCOME_COLUMNS)]],
                      axis=1)
    frame["steps_back"] = frame["steps_back"].astype("Int64")
    frame["epochs"] = frame["epochs"].astype("Int64")
    return frame.sort_values("key", kind="stable").reset_index(drop=True)[list(COLUMNS)]


def write(runs, path):
    """Write store rows (`Store.runs()`) or a frame of `COLUMNS` to ``path`` (gzip CSV),
    through `reproduce.store.files.replacing` (a failure leaves the old file)."""
    frame = runs if "config" not in runs else from_store_rows(runs)
    text = frame[list(COLUMNS)].to_csv(index=False, lineterminator="\n")
    with replacing(path) as temporary, open(temporary, "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(text.encode())


def read(path):
    """A ``runs.csv.gz`` as a DataFrame with the store's columns that the tables use
    (``config`` holds each run's canonical JSON, so readings select as in a store)."""
    with gzip.open(path, "rb") as f:
        frame = pd.read_csv(io.BytesIO(f.read()), dtype={"steps_back": "Int64",
                                                          "epochs": "Int64"})
    missing = set(COLUMNS) - set(frame)
    if missing:
        raise ValueError(f"{path} is not a runs.csv.gz: it lacks the columns "
                         f"{', '.join(sorted(missing))}")
    _check_values(frame, path)
    frame["config"] = _config_texts(frame, path)
    return frame


def _check_values(frame, path):
    """Raise ValueError naming the first value of an outcome column that is not of its
    kind (a number, a known status); the numbers' columns become floats."""
    from reproduce.store.database import STATUSES
    for column in NUMBER_COLUMNS:
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna() & frame[column].notna()
        if bad.any():
            line = int(bad.to_numpy().nonzero()[0][0])
            raise ValueError(f"{path}, line {line + 2}: {column} is "
                             f"{frame[column].iloc[line]!r}, not a number")
        frame[column] = numbers.astype(float)
    bad = ~frame["status"].isin(STATUSES)
    if bad.any():
        line = int(bad.to_numpy().nonzero()[0][0])
        raise ValueError(f"{path}, line {line + 2}: status is {frame['status'].iloc[line]!r}, "
                         f"not one of {', '.join(STATUSES)}")


SEED_FIELDS = ("seed", "data_seed")


def _config_texts(frame, path):
    """Each row's canonical JSON, ``RunConfig(**row).to_json()``; ValueError naming the
    first row that is not a configuration.  A RunConfig is made once per configuration
    up to its seeds (`RunConfig.with_seeds` gives each row's)."""
    names = [*(name for name in CONFIG_FIELDS if name not in SEED_FIELDS), *SEED_FIELDS]
    configs = {}
    texts = []
    for line, row in enumerate(frame[names].itertuples(index=False, name=None), 2):
        try:
            config = configs.get(row[:-2])
            if config is None:
                values = {k: None if pd.isna(v) else v for k, v in zip(names, row)}
                config = configs[row[:-2]] = RunConfig(**values)
            texts.append(config.with_seeds(*row[-2:]).to_json())
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}, line {line}: not a configuration ({exc})") from None
    return texts


def load(path):
    """The runs of a results store or of a ``runs.csv.gz`` (by its name's ending), as
    `Store.runs()` gives them (a file's rows lack only the provenance columns)."""
    from reproduce.store.database import Store
    if str(path).endswith(".csv.gz"):
        try:
            return read(path)
        except pd.errors.EmptyDataError:
            raise ValueError(f"{path} is empty: not a runs.csv.gz (not even its header)") \
                from None
        except (OSError, EOFError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise ValueError(f"cannot read {path}: {exc}") from None
        except ValueError as exc:   # pandas' conversions, e.g. a non-integer epochs
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ValueError(text if str(path) in text else f"{path}: {text}") from None
    with Store.open(path) as store:
        return store.runs()


def load_all(paths):
    """The runs of several stores or runs files together (`load` of each); a key that
    more than one holds is taken from the first."""
    frames = [load(path) for path in paths]
    if len(frames) == 1:
        return frames[0]
    frame = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    return frame.drop_duplicates("key", keep="first").reset_index(drop=True)


def check_keys(frame):
    """Raise ValueError if a row's key is not the SHA-256 of its config."""
    bad = [k for k, text in zip(frame["key"], frame["config"])
           if RunConfig.from_json(text).key != k]
    if bad:
        raise ValueError(f"{len(bad)} rows' keys do not match their configs, e.g. {bad[0]}")

