"""Which stored runs a table is made of: a reading's, a profile's, a replicate's, the ``ok`` ones.

    runs = runs_csv.load_all(["results/paper/stated/runs.csv.gz"])
    ok = ok_runs(select(runs, get_reading("stated"), get_profile("paper"), replicates=(0,)))
"""
import json

import numpy as np

from reproduce.experiment.profiles import replicate_of


def select(runs, reading, profile=None, replicates=(0,)):
    """The rows of `runs` (store rows or `runs_csv.read`) that are runs of `reading` in
    `replicates` (`reproduce.experiment.profiles`; None: every replicate) -- and, given a
    `Profile`, of that profile under it."""
    if profile is not None:
        # a key is its configuration: the grid's keys select its runs of the reading
        present = replicates_in(runs) if replicates is None else replicates
        keys = profile.key_set(reading, present)
        return runs.loc[runs["key"].isin(keys).to_numpy(dtype=bool)]
    configs = [json.loads(text) for text in runs["config"]]
    keep = np.array([reading.matches(c) and (replicates is None
                                             or replicate_of(c) in replicates)
                     for c in configs], dtype=bool)
    return runs.loc[keep]          # a mask, not a Series: an empty frame stays a frame


def replicate_column(runs):
    """The replicate of each row of `runs` (store rows, a runs file's or any frame with a
    ``data_seed`` column), as a Series on `runs`' index."""
    return runs["data_seed"].map(lambda seed: replicate_of({"data_seed": int(seed)}))


def by_replicate(runs):
    """``{replicate: the rows of runs in it}``, in replicate order."""
    return {int(r): group for r, group in runs.groupby(replicate_column(runs), sort=True)}


def replicate_counts(runs):
    """``{replicate: number of rows of runs in it}``, in replicate order."""
    counts = replicate_column(runs).value_counts()
    return {int(r): int(counts[r]) for r in sorted(counts.index)}


def replicates_in(runs):
    """The replicates that rows of `runs` belong to, sorted."""
    return list(replicate_counts(runs))


def ok_runs(runs):
    """The rows of `runs` that finished (``status`` ok) with a test error."""
    return runs[(runs["status"] == "ok") & runs["test_error"].notna()]


def holdings(runs):
    """What `runs` hold: ``[(ok runs, reading name, profile or None, replicates)]``, most
    runs first; the profile is the store's ``profile`` column (a runs file has none)."""
    from reproduce.experiment.profiles import PROFILES
    from reproduce.experiment.readings import reading_of
    ok = ok_runs(runs)
    profiles = ok["profile"] if "profile" in ok else [None] * len(ok)
    groups = {}
    for text, profile in zip(ok["config"], profiles):
        config = json.loads(text)
        profile = profile if isinstance(profile, str) else None
        cap = PROFILES[profile].max_epochs if profile in PROFILES else None
        group = groups.setdefault((reading_of(config, cap).name, profile), [0, set()])
        group[0] += 1
        group[1].add(replicate_of(config))
    return sorted(((n, name, profile, tuple(sorted(replicates)))
                   for (name, profile), (n, replicates) in groups.items()),
                  key=lambda item: (-item[0], item[1], item[2] or ""))
