"""Writing and reading the figures: PNG and PDF, with every number beside them.

Each figure is written as PNG and PDF, with an NPZ (every number needed to
redraw and check it) and a CSV (the drawn sequence, for reading) beside it::

    paths = save_activity(activity, "results/figures", "figure6")
    paths = save_pattern(data, sequence=0, steps=20, figure=3, out_dir=..., stem=...)
    activity = load_activity("results/figures/figure6.npz")

The folder must exist or be creatable; the commands check it (and the stem)
before they train anything.  The four files of a figure replace the old ones
together or not at all (`reproduce.store.files`).
"""
import csv
import json
import os

import numpy as np

from pybrain_ext.record import flatten, unflatten
from reproduce.analysis.figures.data import Activity, activity_columns
from reproduce.analysis.figures.drawing import draw_activity, draw_pattern, value_limits
from reproduce.experiment.config import RunConfig
from reproduce.store.files import replacing, save_figure, together

FORMATS = ("png", "pdf")
DPI = 200
SUFFIXES = (*(f".{fmt}" for fmt in FORMATS), ".npz", ".csv")   # the files of a figure


def file_names(stem):
    """The names of the files `save_activity` and `save_pattern` write for `stem`."""
    return [f"{stem}{suffix}" for suffix in SUFFIXES]


def _write_figure(fig, out_dir, stem):
    paths = []
    for fmt in FORMATS:
        path = os.path.join(out_dir, f"{stem}.{fmt}")
        save_figure(fig, path, dpi=DPI)
        paths.append(path)
    return paths


def save_activity(activity, out_dir, stem):
    """Draw `activity` and write ``<stem>.png``, ``.pdf``, ``.npz`` and ``.csv`` in `out_dir`.

    The NPZ holds everything needed to check the figure against a fresh
    forward pass: ``config`` (RunConfig JSON), ``params``, ``inputs``,
    ``targets``, ``mask``, ``rows``, ``sequence``, the full recording over
    all S sequences under ``<layer>.<quantity>`` (``hidden0.i``, ...,
    ``out.y``), ``predictions``; the drawn columns as ``columns`` (names),
    ``column_values`` (T, C), ``column_means`` (C,) and ``colour_limit_<q>``
    (colour limit of each red/blue quantity); ``summary`` (JSON) and the
    ``candidate_*`` arrays.  The CSV has one row per step of the drawn
    sequence with the same columns.

    Returns
    -------
    list of str
        The paths written.
    """
    columns = activity_columns(activity)
    limits = value_limits(columns)
    values = np.stack([col.values for col in columns], axis=1)            # (T, C)
    data = {
        "config": np.array(activity.config.to_json()),
        "key": np.array(activity.config.key),
        "params": np.asarray(activity.params, dtype=float),
        "inputs": activity.inputs, "targets": activity.targets, "mask": activity.mask,
        "rows": np.asarray(activity.rows), "sequence": np.array(activity.sequence),
        "predictions": activity.predictions,
        "columns": np.array([col.name for col in columns]),
        "column_values": values, "column_means": values.mean(axis=0),
        "summary": np.array(json.dumps(activity.summary, sort_keys=True)),
    }
    data.update(flatten(activity.recording))
    data.update({f"colour_limit_{q}": np.array(limit) for q, limit in limits.items()})
    data.update({f"candidate_{name}": np.asarray(v) for name, v in activity.candidates.items()})
    with together():
        paths = _write_figure(draw_activity(activity), out_dir, stem)
        npz = os.path.join(out_dir, f"{stem}.npz")
        with replacing(npz) as temporary:
            np.savez_compressed(temporary, **data)
        csv_path = os.path.join(out_dir, f"{stem}.csv")
        _write_activity_csv(activity, columns, values, csv_path)
    return paths + [npz, csv_path]


def _write_activity_csv(activity, columns, values, csv_path):
    s = activity.sequence
    with replacing(csv_path) as temporary, open(temporary, "w", newline="") as handle:
        writer = csv.writer(handle)
        shown = [col for col in columns if col.block not in ("input", "target")]
        writer.writerow(["step", "input", "target", "masked"] + [c.name for c in shown]
                        + ["prediction", "correct"])
        for t in range(values.shape[0]):
            masked = not activity.mask[s, t]
            writer.writerow([t, activity.inputs[s, t], "" if masked else activity.targets[s, t],
                             int(masked)] + [f"{c.values[t]:.8g}" for c in shown]
                            + [activity.predictions[s, t],
                               "" if masked else int(activity.predictions[s, t]
                                                     == activity.targets[s, t])])


def load_figure_data(path):
    """The arrays of a figure's NPZ as a dict (``config`` and ``summary`` parsed)."""
    with np.load(path) as npz:
        data = {name: npz[name] for name in npz.files}
    if "config" in data:
        data["config"] = RunConfig.from_json(str(data["config"]))
    if "summary" in data:
        data["summary"] = json.loads(str(data["summary"]))
    return data


def load_activity(path):
    """The `Activity` saved in an activity figure's NPZ, e.g. to redraw another sequence::

        activity = load_activity("results/figures/figure6.npz")
        save_activity(dataclasses.replace(activity, sequence=5), "results/figures", "seq5")
    """
    data = load_figure_data(path)
    candidates = {name[len("candidate_"):]: data[name] for name in data
                  if name.startswith("candidate_")}
    return Activity(data["config"], data["params"],
                    unflatten({k: v for k, v in data.items() if k.startswith(("hidden", "out."))}),
                    data["inputs"], data["targets"], data["mask"], data["rows"],
                    int(data["sequence"]), data["summary"], candidates)


def save_pattern(data, sequence, steps, figure, out_dir, stem):
    """Draw sequence `sequence` of `data` (first `steps` steps); write PNG, PDF, NPZ, CSV.

    Parameters
    ----------
    data : tasks.TaskData
        The variant's data set.
    sequence, steps : int
    figure : int
        The paper's figure number.
    out_dir, stem : str

    Returns
    -------
    list of str
        The paths written.
    """
    x = data.inputs[sequence, :steps]
    y = data.targets[sequence, :steps]
    m = data.mask[sequence, :steps]
    npz = os.path.join(out_dir, f"{stem}.npz")
    csv_path = os.path.join(out_dir, f"{stem}.csv")
    with together():
        paths = _write_figure(draw_pattern(x, y, m, data.variant, figure, sequence), out_dir,
                              stem)
        v = data.variant
        with replacing(npz) as temporary:
            np.savez_compressed(
                temporary, inputs=x, targets=y, mask=m, variant=np.array(v.id),
                task=np.array(v.task), k=np.array(v.k),
                steps_back=np.array(-1 if v.steps_back is None else v.steps_back),
                data_seed=np.array(data.seed), sequence=np.array(sequence),
                figure=np.array(figure))
        with replacing(csv_path) as temporary, open(temporary, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["step", "input", "target", "masked"])
            for t in range(len(x)):
                writer.writerow([t, x[t], "" if not m[t] else y[t], int(not m[t])])
    return paths + [npz, csv_path]
