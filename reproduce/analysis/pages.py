"""The results page, ``docs/results.md``: every number on it is made from the committed results.

    text = results_page("results", link="../results", made_by="reproduce pages ...")

``reproduce pages --results results --out docs`` writes it (``--check`` only
compares), and ``tests/test_results.py`` fails when the committed page differs
from what that command makes.  The page is the sections of `SECTIONS`, in
order: each is a function of a `Results` (the folder, and how the page links
into it) that returns its Markdown lines, or none when the files it reads are
absent.  A section for files that may appear later is one more function there,
as `noise` is for a folder's ``noise_summary.csv``.

What the sections read, under the results folder (``<profile>/<reading>/`` is
one results folder, `reproduce.experiment.profiles` and `.readings`):

``paper/<reading>/table1.csv``
    Table I of the paper's grid under a reading, compared here with the
    published table (`reproduce.analysis.sensitivity.metrics`,
    `reproduce.analysis.table1.agreement`);
``sensitivity/sensitivity.csv``
    the sensitivity study's measures, one row per reading (``reproduce sensitivity``);
``<profile>/<reading>/claims.csv``
    the verdicts on the paper's claims (``reproduce claims``);
``<profile>/<reading>/anova.csv`` and ``generalisation.csv``
    what drives the error, and which cells keep it on longer sequences;
``<profile>/<reading>/noise_summary.csv``
    the noise floor of a folder's replicates, shown as it is;

and it links every folder's ``REPORT.md`` and Markdown tables.
"""
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from reproduce.analysis import anova, claims, generalise, sensitivity, table1
from reproduce.analysis.markdown import number, p_value, table
from reproduce.analysis.style import CELL_TITLES, TASK_TITLES
from reproduce.experiment.profiles import PROFILES
from reproduce.experiment.protocol import TABLE1_AGREEMENT_POINTS, TABLE1_CELL_ORDER

PAGE = "results.md"                     # the page's file name in the output folder
PAPER = "paper"                         # the profile of the paper's whole grid
SENSITIVITY_CSV = "sensitivity/sensitivity.csv"
NOISE_CSV = "noise_summary.csv"
WIDE_CLAIMS = 4       # up to this many readings, the claims are one column per reading
NAMED_EXCEPTIONS = 6  # up to this many readings with another verdict are named


@dataclass
class Results:
    """A results folder and how the page links into it.

    Parameters
    ----------
    root : Path
        The results folder (``results/``).
    link : str
        The path from the page to `root`, for links (``../results``).
    made_by : str
        The command that makes the page, for its header.
    published : pandas.DataFrame
        `table1.load_published()`.
    """

    root: Path
    link: str
    made_by: str
    published: pd.DataFrame = field(repr=False)

    def href(self, path):
        """The link from the page to `path` (a path under `root`)."""
        return f"{self.link}/{Path(path).relative_to(self.root).as_posix()}"

    def folders(self, profile=None):
        """The results folders ``<profile>/<reading>/`` (of `profile`, or of every profile
        in `PROFILES`' order), their readings in `reading_order`."""
        profiles = [profile] if profile else list(PROFILES)
        found = []
        for name in profiles:
            folders = [p for p in (self.root / name).glob("*") if p.is_dir()]
            found += sorted(folders, key=lambda p: self.reading_key(p.name))
        return found

    def with_file(self, name, profile=None):
        """The results folders that hold the file `name`."""
        return [f for f in self.folders(profile) if (f / name).is_file()]

    @cached_property
    def study(self):
        """``sensitivity/sensitivity.csv``, or None."""
        path = self.root / SENSITIVITY_CSV
        return read_csv(path) if path.is_file() else None

    def reading_key(self, name):
        """Readings in the sensitivity study's order, the others after it by name."""
        order = [] if self.study is None else list(self.study["reading"])
        return (order.index(name), "") if name in order else (len(order), name)

    def label(self, folder):
        """``<profile>/<reading>``."""
        return f"{folder.parent.name}/{folder.name}"

    def reading_link(self, folder, *files):
        """The reading's name, linked to the first of `files` the folder has."""
        for name in files:
            if (folder / name).is_file():
                return f"[{folder.name}]({self.href(folder / name)})"
        return folder.name


def read_csv(path):
    """`path` as a frame; ValueError naming it when it cannot be read."""
    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None


# ---- the sections ------------------------------------------------------------------


def header(results):
    return ["# Results", "",
            f"Generated by `{results.made_by}` from the files of [`results/`]({results.link}/) "
            "that each section names: do not edit it by hand.  `tests/test_results.py` fails "
            "when this page differs from what the command makes.  What the numbers say is "
            "discussed in [findings.md](findings.md); how they were made in "
            "[usage.md](usage.md).", ""]


_MEASURES = (
    "The measures (`reproduce.analysis.sensitivity`) compare the entries of Table I (task "
    "variant x cell type) that have both our value and the published one: MAE, the mean "
    "absolute difference of the minimum, mean and std (points); *within "
    f"{TABLE1_AGREEMENT_POINTS:g}*, the entries whose mean lies within "
    f"{TABLE1_AGREEMENT_POINTS:g} points; *best cell*, the rows whose lowest-mean cell type "
    "is the paper's; ρ, the mean over rows of the Spearman correlation of the cell types' "
    f"means; *solved*, the entries agreeing on whether the minimum is at most "
    f"{sensitivity.SOLVED_POINTS:g} %; r, the correlation of the means; *bias*, the mean of "
    "ours − published over one cell type's means.")


def _agreement_table(rows, ranking=False):
    """The agreement measures, one row per ``(reading cell, metrics)``."""
    cells = [c for c in TABLE1_CELL_ORDER if any(f"bias_{c}" in m for _, m in rows)]
    headers = ["reading", "runs", "MAE min", "MAE mean", "MAE std",
               f"within {TABLE1_AGREEMENT_POINTS:g}", "best cell", "ρ", "solved", "r",
               *(["ranking"] if ranking else []), *(f"bias {CELL_TITLES[c]}" for c in cells)]
    body = []
    for name, m in rows:
        body.append([name, number(m["runs"]), number(m["mae_min"], ".1f"),
                     number(m["mae_mean"], ".1f"), number(m["mae_std"], ".1f"),
                     f"{number(m['within_mean'])}/{number(m['entries'])}",
                     f"{number(m['best_cell'])}/{number(m['rows'])}", number(m["rho"], ".2f"),
                     f"{number(m['solved'])}/{number(m['entries'])}",
                     number(m["r_means"], ".2f"),
                     *([m["ranking"]] if ranking else []),
                     *(number(m.get(f"bias_{c}"), "+.1f") for c in cells)])
    return table(headers, body, right=range(1, len(headers)))


def paper_agreement(results):
    folders = results.with_file("table1.csv", PAPER)
    if not folders:
        return []
    rows = []
    for folder in folders:
        side = table1.compare(read_csv(folder / "table1.csv"), results.published)
        ranked = [r for r in table1.agreement(side)["rows"] if r["agrees"] is not None]
        m = {**sensitivity.metrics(side),
             "ranking": f"{sum(r['agrees'] for r in ranked)}/{len(ranked)}"}
        rows.append((results.reading_link(folder, "REPORT.md", "table1.md"), m))
    return [f"## Table I on the `{PAPER}` grid", "",
            f"From each `{PAPER}/<reading>/table1.csv` against the published Table I; the "
            "reading links to its report.  *ranking*: the rows whose ranking of the cell types "
            "by mean error agrees with the paper's (cells the paper ties may come in either "
            "order).", "", *_agreement_table(rows, ranking=True), "", _MEASURES, ""]


def sensitivity_study(results):
    study = results.study
    if study is None:
        return []
    tables = {f: read_csv(f / "table1.csv") for f in results.with_file("table1.csv")}
    rows = []
    for m in study.to_dict("records"):
        # the folder of the reading whose Table I counts the same runs
        match = [f for f, t in tables.items()
                 if f.name == m["reading"] and int(t["n_runs"].sum()) == m["runs"]]
        name = (results.reading_link(match[0], "REPORT.md", "table1.md") if match
                else m["reading"])
        rows.append((name, m))
    source = results.root / SENSITIVITY_CSV
    lines = ["## The sensitivity study", "",
             f"One row per reading of [`{SENSITIVITY_CSV}`]({results.href(source)}) "
             f"(every measure, per task too: [sensitivity.md]"
             f"({results.href(source.with_suffix('.md'))})); the reading links to its report "
             "or its Table I.", "", *_agreement_table(rows), ""]
    for image, what in (("agreement_vs_variance.png", "agreement against initial variance"),
                        ("scatter_means.png", "ours against published means, per reading")):
        if (source.parent / image).is_file():
            lines += [f"![{what}]({results.href(source.parent / image)})", ""]
    return lines


def _verdicts(folders):
    """``(claim ids in order, {folder: {claim id: verdict}}, {claim id: published verdict})``."""
    ids, verdicts, published = [], {}, {}
    for folder in folders:
        frame = read_csv(folder / "claims.csv")
        missing = {"id", "verdict"} - set(frame.columns)
        if missing:
            raise ValueError(f"{folder / 'claims.csv'} has no column {', '.join(sorted(missing))}")
        verdicts[folder] = dict(zip(frame["id"], frame["verdict"]))
        ids += [i for i in frame["id"] if i not in ids]
        if "published_verdict" in frame.columns:
            for i, v in zip(frame["id"], frame["published_verdict"]):
                if isinstance(v, str):
                    published.setdefault(i, v)
    return ids, verdicts, published


def _verdict_names(verdicts):
    seen = {v for per in verdicts.values() for v in per.values() if isinstance(v, str)}
    return [v for v in claims.VERDICTS if v in seen] + sorted(seen - set(claims.VERDICTS))


def _claims_wide(results, folders, ids, verdicts, published):
    """One column per reading; bold where the readings disagree."""
    headers = ["claim", "published Table I",
               *(f"[{f.name}]({results.href(f / 'claims.md')})"
                 if (f / "claims.md").is_file() else f.name for f in folders)]
    body = []
    for i in ids:
        row = [verdicts[f].get(i) for f in folders]
        differ = len({v for v in row if isinstance(v, str)}) > 1
        body.append([i, number(published.get(i)),
                     *(f"**{v}**" if differ and isinstance(v, str) else number(v)
                       for v in row)])
    names = _verdict_names(verdicts)
    counts = [f"{f.name}: " + " / ".join(str(Counter(verdicts[f].values())[v]) for v in names)
              for f in folders]
    return [*table(headers, body), "",
            f"{' / '.join(names)} per reading: " + "; ".join(counts) + ".  Bold: the readings "
            "disagree; *published*: what the paper's own Table I says where it can decide.", ""]


def _claims_counts(results, folders, ids, verdicts):
    """Per claim, how many readings give each verdict, and which readings differ."""
    names = _verdict_names(verdicts)
    body = []
    for i in ids:
        given = {f.name: verdicts[f].get(i) for f in folders}
        counts = Counter(v for v in given.values() if isinstance(v, str))
        usual = max(names, key=lambda v: counts[v])          # ties: the first in `names`
        other = [f"{r} ({v})" for r, v in given.items() if v != usual]
        named = (", ".join(other) if len(other) <= NAMED_EXCEPTIONS
                 else f"{len(other)} readings")
        body.append([i, *(str(counts[v]) for v in names), named or "–"])
    listed = ", ".join(f"[{f.name}]({results.href(f / 'claims.md')})"
                       if (f / "claims.md").is_file() else f.name for f in folders)
    return [*table(["claim", *names, "the other readings"], body,
                   right=range(1, len(names) + 1)), "",
            f"Over the {len(folders)} readings: {listed}.", ""]


def claims_summary(results):
    lines = []
    for profile in PROFILES:
        folders = results.with_file("claims.csv", profile)
        if not folders:
            continue
        ids, verdicts, published = _verdicts(folders)
        lines += [f"## The paper's claims on the `{profile}` grid", "",
                  f"The verdicts of each `{profile}/<reading>/claims.csv` (`reproduce claims`; "
                  "each claim is stated, with its evidence, in the reading's `claims.md`).", ""]
        lines += (_claims_wide(results, folders, ids, verdicts, published)
                  if len(folders) <= WIDE_CLAIMS
                  else _claims_counts(results, folders, ids, verdicts))
    return lines


def claims_across_grids(results):
    """The verdicts that change between two grids under one reading."""
    by_profile = {p: {f.name: f for f in results.with_file("claims.csv", p)} for p in PROFILES}
    lines = []
    profiles = [p for p in PROFILES if by_profile[p]]
    for i, first in enumerate(profiles):
        for second in profiles[i + 1:]:
            shared = [r for r in by_profile[first] if r in by_profile[second]]
            if not shared:
                continue
            lines += [f"### `{second}` → `{first}`", ""]
            for reading in shared:
                _, verdicts, _ = _verdicts([by_profile[first][reading],
                                            by_profile[second][reading]])
                a, b = verdicts.values()
                common = [c for c in a if c in b]
                changed = [f"{c} ({b[c]} → {a[c]})" for c in common if a[c] != b[c]]
                lines.append(f"- `{reading}`: {len(changed)} of {len(common)} verdicts differ"
                             + (": " + ", ".join(changed) if changed else "") + ".")
            lines.append("")
    if not lines:
        return []
    return ["## The claims from one grid to another", "",
            "Under the same reading, the verdicts that differ between two grids (in brackets: "
            "the verdict on the grid named first → on the other).", "", *lines]


def drivers(results):
    folders = results.with_file("anova.csv")
    if not folders:
        return []
    lines = ["## What drives the error", "",
             "The two largest terms of each task's type-II ANOVA (share of the sum of squares, "
             "of the error and of its rank; `reproduce anova`).", ""]
    for folder in folders:
        lines += [f"### {results.label(folder)} "
                  f"([anova.md]({results.href(folder / 'anova.md')}))"
                  if (folder / "anova.md").is_file() else f"### {results.label(folder)}", ""]
        lines += anova.largest_terms_markdown(read_csv(folder / "anova.csv")) + [""]
    return lines


def generalisation(results):
    folders = results.with_file(generalise.CSV)
    if not folders:
        return []
    lines, said = ["## Does the learned memory generalise?", ""], None
    for folder in folders:
        text = generalise.keep_markdown(read_csv(folder / generalise.CSV))
        sentence, rest = (text[0], text[2:]) if len(text) > 2 and not text[1] else (None, text)
        if sentence and sentence != said:
            lines += [sentence, ""]
            said = sentence
        lines += [f"### {results.label(folder)}", "", *rest, ""]
    return lines


def noise(results):
    folders = results.with_file(NOISE_CSV)
    if not folders:
        return []
    lines = ["## The noise floor of the replicates", "",
             f"Each folder's `{NOISE_CSV}` (`reproduce noise`), as it is: per scope, whether "
             "the published table lies within the distance of two replicates of ours; the "
             "floor, every measure and the entries are in the folder's `noise.md`.", ""]
    for folder in folders:
        frame = read_csv(folder / NOISE_CSV)
        title = f"### {results.label(folder)}"
        if (folder / "noise.md").is_file():
            title += f" ([noise.md]({results.href(folder / 'noise.md')}))"
        lines += [title, "",
                  *table(list(frame.columns),
                         [[number(v) for v in row] for row in frame.itertuples(index=False)]),
                  ""]
    return lines


def folders_index(results):
    folders = results.folders()
    if not folders:
        return []
    rows = []
    for folder in folders:
        runs = (int(read_csv(folder / "table1.csv")["n_runs"].sum())
                if (folder / "table1.csv").is_file() else None)
        pages = sorted(folder.glob("*.md"), key=lambda p: (p.name != "REPORT.md", p.name))
        rows.append([results.label(folder), number(runs),
                     ", ".join(f"[{p.name}]({results.href(p)})" for p in pages) or "–"])
    return ["## Every results folder", "",
            "Each holds its runs (`runs.csv.gz`) and what the commands made of them; "
            "`REPORT.md` puts one folder's parts together (`reproduce report`).", "",
            *table(["folder", "runs", "pages"], rows, right=[1]), ""]


SECTIONS = (header, paper_agreement, sensitivity_study, claims_summary, claims_across_grids,
            drivers, generalisation, noise, folders_index)


README_BEGIN = "<!-- noise-floor verdict: begin (written by `reproduce pages`) -->"
README_END = "<!-- noise-floor verdict: end -->"
README_READINGS = ("stated", "var0.09+cap50", "var0.01+cap50")   # shown per task, if judged
README_MAX_NAMED = 40      # published entries outside our intervals named in the README


def readme_verdict(root, link, made_by):
    """The README's "Does it reproduce?" block: per results folder with a noise floor, the
    verdict overall and per task, the main readings without a floor of their own judged
    against the first folder's, and the published mean entries outside our intervals --
    every number read from the folders' ``noise_*.csv``."""
    results = Results(Path(root), link, made_by, pd.DataFrame())
    folders = results.with_file(NOISE_CSV)
    lines = [README_BEGIN]
    if not folders:
        return "\n".join(lines + ["No results folder has a noise floor yet (`reproduce noise`).",
                                  README_END])
    summaries = {f: read_csv(f / NOISE_CSV).set_index("scope") for f in folders}
    for folder, summary in summaries.items():
        overall = summary.loc["all"]
        lines.append(f"- [{results.label(folder)}]({results.href(folder / 'noise.md')}): the "
                     f"published means lie {overall['ratio']:.1f} times as far from our pooled "
                     f"replicates as our replicates lie from each other (MAE "
                     f"{overall['published_mae_mean']:.1f} against "
                     f"{overall['floor_mae_mean']:.1f} points): **{overall['verdict']}** "
                     f"(p {p_value(overall['p_value'])}).")
    profiles = sorted({f.parent.name for f in folders})
    lines += ["", "The grids replicated: "
              + " and ".join(f"`{p}` ({PROFILES[p].n_runs:,} runs a replicate)"
                             for p in profiles)
              + ("" if profiles == [PAPER] else ". On a grid other than the paper's, part of "
                 "the distance may be the grid's") + ". Per task, the MAE of the means as a "
              "multiple of the floor; bold where outside the noise (p < 0.05):", ""]
    tasks_ = [t for t in next(iter(summaries.values())).index if t != "all"]
    rows = [[f"published vs {results.label(f)}"]
            + [_verdict_cell(sm.loc[t, "ratio"], sm.loc[t, "verdict"]) if t in sm.index
               else "–" for t in tasks_] for f, sm in summaries.items()]
    first = folders[0]
    own = {results.label(f) for f in folders}   # a reading with a floor of its own: by it
    if (first / "noise_readings.csv").is_file():
        judged = read_csv(first / "noise_readings.csv")
        for reading in README_READINGS:
            label = f"{first.parent.name}/{reading}"
            part = judged[judged["reading"] == reading].set_index("scope")
            if len(part) and label not in own:
                rows.append([f"{label} (replicate 0) vs published, "
                             f"{results.label(first)}'s floor"] + [
                    _verdict_cell(part.loc[t, "ratio"], part.loc[t, "verdict"])
                    if t in part.index else "–" for t in tasks_])
    lines += table(["vs the floor"] + [TASK_TITLES.get(t, t) for t in tasks_], rows)
    lines.append("")
    for folder in folders:
        entries = read_csv(folder / "noise_table1.csv")
        means = entries[entries["statistic"] == "mean"]
        outside = means[means["outside"]]
        names = ", ".join(f"{v} {CELL_TITLES.get(c, c)}"
                          for v, c in zip(outside["variant"], outside["cell"]))
        if len(outside) > README_MAX_NAMED:
            names = f"listed in [noise.md]({results.href(folder / 'noise.md')})"
        lines.append(f"- Published means outside our 95 % prediction intervals, "
                     f"{results.label(folder)} ({len(outside)} of "
                     f"{int(means['published'].notna().sum())}): {names or 'none'}.")
    lines += ["", README_END]
    return "\n".join(lines)


def _verdict_cell(ratio, verdict):
    text = f"{ratio:.1f}x"
    return f"**{text}**" if verdict == "outside the noise" else text


def with_readme_verdict(readme_text, block):
    """`readme_text` with the block between `README_BEGIN` and `README_END` replaced by
    `block`; ValueError if the README has no such block."""
    start, end = readme_text.find(README_BEGIN), readme_text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no block between {README_BEGIN!r} and "
                         f"{README_END!r}")
    return readme_text[:start] + block + readme_text[end + len(README_END):]


def results_page(root, link, made_by, published=None):
    """The Markdown of the results page of the results folder `root`.

    Parameters
    ----------
    root : path
        The results folder.
    link : str
        The path from the page's folder to `root`, for its links.
    made_by : str
        The command that makes the page.
    published : pandas.DataFrame, optional
        `table1.load_published()` (by default the paper's).

    Raises
    ------
    ValueError
        If `root` holds no results the page shows, or a file cannot be read.
    """
    results = Results(Path(root), link.rstrip("/") or ".", made_by,
                      table1.load_published() if published is None else published)
    sections = [section(results) for section in SECTIONS[1:]]
    if not any(sections):
        raise ValueError(f"{root} holds no results folder (<profile>/<reading>/) and no "
                         f"{SENSITIVITY_CSV}")
    lines = header(results) + [line for section in sections for line in section]
    return "\n".join(lines).rstrip("\n") + "\n"
