"""The claims across readings: the verdicts of a results folder's ``<reading>/claims.csv``
files side by side, and the claims that need two readings to decide.

    long = verdicts(Path("results/paper"))           # one row per claim x reading
    cross = across_readings(Path("results/paper"))   # Section IV-A's initial variances
    text = to_markdown(long, cross, "Made by ...")

Section IV-A says GRUs converged best from small initial weights and LSTMs and
standard RNNs from larger ones.  Readings that differ only in the initial
variance (``var0.01+cap50`` and ``var0.09+cap50``) decide it: their runs are
matched one to one (same variant, cell, architecture, step size, seed and
replicate), and the lowest variance of each such family is compared with the
highest (`reproduce.analysis.claims.catalogue.init_variance_claim`).
"""
import pandas as pd

from reproduce.analysis.claims.catalogue import CLAIMS, init_variance_claim
from reproduce.analysis.claims.rules import VERDICTS

SUMMARY_COLUMNS = ("id", "reading", "verdict", "conditional", "replicates", "replicate_share",
                   "published_verdict")


def reading_folders(results):
    """The folders of `results` (a Path) that hold a ``claims.csv``, ``stated`` first."""
    found = sorted(p.parent for p in results.glob("*/claims.csv"))
    return sorted(found, key=lambda p: (p.name != "stated", p.name))


def verdicts(results):
    """One row per claim and reading (`SUMMARY_COLUMNS`), from the ``claims.csv`` files."""
    rows = []
    for folder in reading_folders(results):
        frame = pd.read_csv(folder / "claims.csv")
        if "conditional" not in frame:      # a claims.csv of the older form
            frame["conditional"] = True
            frame["replicate_share"] = float("nan")
            frame["replicates"] = 1
        frame["reading"] = folder.name
        rows.append(frame[list(SUMMARY_COLUMNS)])
    if not rows:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    return pd.concat(rows, ignore_index=True)


def variance_families(names):
    """Groups of reading names that differ only in the initial variance, each as
    ``(lowest, highest)`` variance."""
    from reproduce.experiment.readings import get_reading
    families = {}
    for name in names:
        reading = get_reading(name)
        values = reading.config_values()
        rest = tuple(sorted((k, v) for k, v in values.items() if k != "init_variance"))
        families.setdefault(rest, []).append((values["init_variance"], name))
    return [(min(f)[1], max(f)[1]) for f in families.values() if len(f) > 1]


def across_readings(results, resamples=None):
    """The claims that need two readings, decided from the ``runs.csv.gz`` of each family
    of `variance_families` in `results` (all replicates each holds); a frame of
    `reproduce.analysis.claims.COLUMNS` with ``readings``."""
    from reproduce.analysis.claims import RESAMPLES, evaluate
    from reproduce.experiment.profiles import PROFILES
    from reproduce.experiment.readings import get_reading
    from reproduce.store import runs_csv
    from reproduce.store.selection import select
    profile = PROFILES.get(results.name)
    names = [f.name for f in reading_folders(results) if (f / "runs.csv.gz").is_file()]
    out = []
    for low, high in variance_families(names):
        runs = [select(runs_csv.read(results / name / "runs.csv.gz"), get_reading(name),
                       profile, None).assign(reading=name) for name in (low, high)]
        claim = init_variance_claim(low, high)
        frame = evaluate(pd.concat(runs, ignore_index=True), claims=(claim,),
                         resamples=resamples or RESAMPLES)
        out.append(frame.assign(readings=f"{low} vs {high}"))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def _cell(row):
    if pd.isna(row["verdict"]):
        return ""
    text = str(row["verdict"])
    share, replicates = row["replicate_share"], row["replicates"]
    if str(row["conditional"]).lower() in ("true", "1"):
        text += " ¹"
    elif not pd.isna(share) and not pd.isna(replicates):
        text += f" ({round(float(share) * int(replicates))}/{int(replicates)})"
    return text


def to_markdown(long, cross, made_by=""):
    """The summary page: claims x readings, then the claims across readings."""
    readings = list(dict.fromkeys(long["reading"]))
    order = [c.id for c in CLAIMS] + sorted(set(long["id"]) - {c.id for c in CLAIMS})
    lines = ["# The paper's claims across readings", ""]
    if made_by:
        lines += [made_by, ""]
    lines += ["Each reading's verdicts come from its `claims.csv` (`reproduce claims`); "
              "¹: conditional on the data set (one replicate); (k/n): in how many of "
              "the n replicates the claim holds on its own.  \"published\" is what the "
              "paper's own Table I says by the same rule, where it can.", ""]
    counts = long.groupby("reading")["verdict"].value_counts().unstack(fill_value=0)
    lines += ["| reading | " + " | ".join(VERDICTS) + " |",
              "|---|" + "---|" * len(VERDICTS)]
    for reading in readings:
        lines.append(f"| {reading} | " + " | ".join(
            str(int(counts.loc[reading].get(v, 0))) for v in VERDICTS) + " |")
    lines += ["", "| claim | published | " + " | ".join(readings) + " |",
              "|---|---|" + "---|" * len(readings)]
    by = long.set_index(["id", "reading"])
    for claim in order:
        if claim not in set(long["id"]):
            continue
        cells = [(_cell(by.loc[(claim, r)]) if (claim, r) in by.index else "")
                 for r in readings]
        published = next((str(by.loc[(claim, r), "published_verdict"]) for r in readings
                          if (claim, r) in by.index), "")
        marked = [f"**{c}**" if len({x.split(' ')[0] for x in cells if x}) > 1 else c
                  for c in cells]
        lines.append(f"| {claim} | {published} | " + " | ".join(marked) + " |")
    if cross is not None and len(cross):
        lines += ["", "## Across readings", "",
                  "| claim | the paper | readings | verdict | evidence |", "|---|---|---|---|---|"]
        for row in cross.to_dict("records"):
            lines.append(f"| **{row['id']}**: {row['statement']} | {row['source']}: "
                         f"“{row['quote']}” | {row['readings']} | **{_cell(row)}** | "
                         f"{row['detail']} |")
    return "\n".join(lines) + "\n"
