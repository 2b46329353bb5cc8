"""The paper's figures, drawn with matplotlib from numbers that are saved beside them.

Two kinds of figure:

- the **activity view** (paper Fig. 6): how a trained network processes one
  test sequence -- for every hidden unit its gates (grey, darker = closer to 1),
  and its cell input, cell state and output (red / blue = below / above the
  column's mean), with the input, the target and the softmax output.  Any
  cell type: LSTM ``i f o g c h``, GRU ``r z ĥ h``, simple cells ``h``.
- the **task patterns** (paper Figs. 1-5): one example sequence per task, input
  and target rows, masked steps hatched.

Each figure is written as PNG and PDF, with an NPZ (every number needed to
redraw and check it) and a CSV (the drawn sequence, for reading) beside it::

    paths = save_activity(activity, "results/figures", "figure6")
    paths = save_pattern(data, sequence=0, steps=20, figure=3, out_dir=..., stem=...)

No pyplot: figures are ``matplotlib.figure.Figure`` objects rendered by the Agg
(PNG) and PDF backends, so nothing needs a display or changes global state.
"""
import csv
import json
import os
from dataclasses import dataclass, field

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import tasks
from pybrain_ext.record import GATES, QUANTITIES, flatten, record, unflatten
from reproduce.config import RunConfig
from reproduce.runner import make_data, make_network

# Pictures of the tasks (paper Figs. 1-5): task -> (figure number, k, steps_back),
# the parameters given in the paper's captions.
PATTERN_FIGURES = {
    "fdr": (1, 3, 2),
    "ddr": (2, 4, None),
    "multiswitch": (3, 3, None),
    "svb": (4, 3, None),
    "mvb": (5, 3, None),
}
assert set(PATTERN_FIGURES) == set(tasks.TASKS)

FORMATS = ("png", "pdf")
DPI = 200

# How quantities are shown: symbols in column headers, colour maps.
LABELS = {"hhat": "ĥ"}
GREYS = colormaps["Greys"]        # 0 white -> 1 black
DIVERGING = colormaps["RdBu"]     # below the mean red -> above it blue
PATTERN_COLOURS = colormaps["Pastel1"]

# Sizes in inches (paper size: a full-width figure is about 7 in).
_COLUMN_WIDTH = 0.095
_ROW_HEIGHT = 0.13
_UNIT_GAP = 0.35                  # in columns, between the units of a layer
_BLOCK_GAP = 1.0                  # in columns, between input, target, layers, output
_FONT = 6.0


@dataclass
class Activity:
    """A trained network's recorded activity on a set of test sequences.

    Attributes
    ----------
    config : RunConfig
        The run that trained the network (rebuilds it with ``make_network``).
    params : ndarray, shape (paramdim,)
        Its trained parameters, in PyBrain's flat layout.
    recording : dict
        `pybrain_ext.record.record` of the network on `inputs`.
    inputs, targets : ndarray of int, shape (S, T)
    mask : ndarray of bool, shape (S, T)
    rows : ndarray of int, shape (S,)
        Which sequences of the variant's data set these are.
    sequence : int
        Which of the S sequences to draw.
    summary : dict
        Numbers about the run to save and print (seed, test error, ...);
        JSON-serialisable values.
    candidates : dict of str -> array
        One array per field over the networks it was chosen among (e.g.
        ``seed``, ``validation_error``, ``test_error``), saved as
        ``candidate_<field>``.
    """

    config: RunConfig
    params: np.ndarray
    recording: dict
    inputs: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    rows: np.ndarray
    sequence: int = 0
    summary: dict = field(default_factory=dict)
    candidates: dict = field(default_factory=dict)

    def __post_init__(self):
        n_seq = len(self.inputs)
        if not 0 <= self.sequence < n_seq:
            raise ValueError(f"sequence must be in 0..{n_seq - 1} (there are {n_seq} "
                             f"sequences); got {self.sequence}")

    @property
    def predictions(self):
        """Argmax of the softmax output, shape (S, T)."""
        return self.recording["out"]["y"].argmax(axis=-1)

    @property
    def error(self):
        """Test error (%) of the recorded outputs: wrong unmasked steps / unmasked steps."""
        wrong = (self.predictions != self.targets) & self.mask
        return 100.0 * wrong.sum() / self.mask.sum()


def activity_of(config, params, sequence=0, summary=None, candidates=None):
    """Record a trained network of `config` on its variant's test sequences.

    Rebuilds the network with ``make_network(config)``, loads `params` and runs
    `pybrain_ext.record.record` over all test sequences of the config's data set
    (PROTOCOL §1: the last 16 of 64).

    Parameters
    ----------
    config : RunConfig
    params : array_like, shape (paramdim,)
        Trained parameters in PyBrain's flat layout (as ``fit_many`` returns them).
    sequence : int
        Which test sequence the figure draws (0 = the first test sequence).
    summary, candidates : dict, optional
        Stored with the activity (see `Activity`).

    Returns
    -------
    Activity
    """
    test = make_data(config)[2]
    net = make_network(config)
    params = np.array(params, dtype=float)
    if params.shape != (net.paramdim,):
        raise ValueError(f"params must have shape ({net.paramdim},) for {config.label()}; "
                         f"got {params.shape}")
    net._setParameters(params)
    return Activity(config, params, record(net, test.inputs), np.array(test.inputs),
                    np.array(test.targets), np.array(test.mask), np.array(test.rows),
                    sequence, dict(summary or {}), dict(candidates or {}))


@dataclass(frozen=True)
class Column:
    """One drawn column of the activity view: a quantity over the T steps."""
    name: str          # e.g. 'hidden0.u3.f', 'input.2', 'out.y1'
    label: str         # its header, e.g. 'f'
    group: str         # header above a run of columns, e.g. 'unit 3'
    block: str         # 'input', 'target', 'hidden0', ..., 'output'
    style: str         # 'onehot', 'gate', 'value' or 'probability'
    quantity: str      # 'i', 'g', ..., 'y'; the symbol for input/target
    values: np.ndarray  # (T,)


def _cell_of(quantities):
    """The cell type whose recorded quantities are `quantities` (lstm, gru or a simple cell)."""
    for cell, names in QUANTITIES.items():
        if set(names) == set(quantities):
            return cell
    raise ValueError(f"not a recorded layer: quantities {sorted(quantities)}")


def activity_columns(activity):
    """The columns of the activity view of ``activity.sequence``, left to right."""
    s = activity.sequence
    x, y, m = activity.inputs[s], activity.targets[s], activity.mask[s]
    variant = activity.config.variant
    columns = [Column(f"input.{v}", str(v), "input", "input", "onehot", str(v),
                      (x == v).astype(float)) for v in range(variant.indim)]
    columns += [Column(f"target.{c}", str(c), "target", "target", "onehot", str(c),
                       ((y == c) & m).astype(float)) for c in range(variant.outdim)]
    layers = sorted((k for k in activity.recording if k.startswith("hidden")),
                    key=lambda name: int(name[len("hidden"):]))
    for layer in layers:
        recorded = activity.recording[layer]
        names = QUANTITIES[_cell_of(recorded)]
        width = recorded[names[0]].shape[-1]
        for unit in range(width):
            for q in names:
                style = "gate" if q in GATES else "value"
                if len(names) == 1:   # simple cells: one column per unit, under the layer
                    label, group = str(unit), f"{LABELS.get(q, q)} of unit"
                else:
                    label, group = LABELS.get(q, q), f"unit {unit}"
                columns.append(Column(f"{layer}.u{unit}.{q}", label, group, layer, style, q,
                                      recorded[q][s, :, unit]))
    out = activity.recording["out"]["y"][s]
    columns += [Column(f"out.y{c}", str(c), "output", "output", "probability", "y", out[:, c])
                for c in range(out.shape[1])]
    return columns


def _value_limits(columns):
    """Symmetric colour limit per 'value' quantity: the largest |value - column mean|."""
    limits = {}
    for col in columns:
        if col.style == "value":
            spread = float(np.max(np.abs(col.values - col.values.mean())))
            limits[col.quantity] = max(limits.get(col.quantity, 0.0), spread)
    return {q: (limit if limit > 0 else 1.0) for q, limit in limits.items()}


def _column_colours(col, limits):
    """RGBA colours (T, 4) of one column."""
    if col.style == "value":
        norm = Normalize(-limits[col.quantity], limits[col.quantity])
        return DIVERGING(norm(col.values - col.values.mean()))
    return GREYS(np.clip(col.values, 0.0, 1.0))


def _layout(columns):
    """Left edges of the columns (in column widths) and the total width."""
    lefts, x, previous = [], 0.0, None
    for col in columns:
        if previous is not None:
            if col.block != previous.block:
                x += _BLOCK_GAP
            elif col.group != previous.group:
                x += _UNIT_GAP
        lefts.append(x)
        x += 1.0
        previous = col
    return np.array(lefts), x


def _runs(columns, lefts, key):
    """``[(value, x_start, x_stop)]`` for runs of consecutive columns with equal ``key(col)``."""
    runs = []
    for col, left in zip(columns, lefts):
        value = key(col)
        if runs and runs[-1][0] == value:
            runs[-1][2] = left + 1.0
        else:
            runs.append([value, left, left + 1.0])
    return runs


def _title(activity):
    """Two lines: the network, then its test error and the sequence drawn."""
    c = activity.config
    cell = c.cell.upper() if c.cell in ("lstm", "gru") else c.cell
    row = int(activity.rows[activity.sequence])
    return (f"{c.variant_id}: {cell}, {c.layers} layer{'s' if c.layers > 1 else ''} × "
            f"{c.hidden}, skip {c.skip}, δ0 {c.delta0:g}, seed {c.seed}\n"
            f"test error {activity.error:.2f} % ({len(activity.inputs)} test sequences);  "
            f"drawn: test sequence {activity.sequence} (data-set row {row})")


def draw_activity(activity):
    """The activity view (paper Fig. 6) of ``activity.sequence``.

    Time runs down the rows.  Columns, left to right: the one-hot input; the
    one-hot target (hatched where masked); per hidden layer and unit the
    recorded quantities -- gates in grey (0 white, 1 black), the others in
    red/blue by their difference from the column's mean over the sequence,
    on one symmetric scale per quantity; the softmax output in grey, its
    argmax outlined green where right and red where wrong; and a ✓ / ✗
    column.

    Returns
    -------
    matplotlib.figure.Figure
    """
    columns = activity_columns(activity)
    lefts, width = _layout(columns)
    limits = _value_limits(columns)
    steps = len(columns[0].values)
    s = activity.sequence
    mask, target = activity.mask[s], activity.targets[s]
    prediction = activity.predictions[s]

    mark_x = width + 0.3                     # the ✓ / ✗ column
    grid_w, grid_h = (mark_x + 1.2) * _COLUMN_WIDTH, steps * _ROW_HEIGHT
    gate_names = list(dict.fromkeys(c.label for c in columns if c.style == "gate"))
    bar_w, bar_gap = 1.45, 0.4
    n_bars = 1 + len(limits)
    left, right, top, bottom = 0.45, 0.2, 0.95, 0.8
    fig_w = max(grid_w + left + right, left + n_bars * (bar_w + bar_gap) + right, 4.5)
    fig_h = grid_h + top + bottom
    fig = Figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((left / fig_w, bottom / fig_h, grid_w / fig_w, grid_h / fig_h))

    # Every cell is a quad of one pcolormesh; gap columns are transparent.
    xs, rgba = [lefts[0]], []
    for col, x0 in zip(columns, lefts):
        if x0 > xs[-1]:
            xs.append(x0)
            rgba.append(np.zeros((steps, 4)))
        xs.append(x0 + 1.0)
        rgba.append(_column_colours(col, limits))
    ax.pcolormesh(np.array(xs), np.arange(steps + 1), np.stack(rgba, axis=1),
                  edgecolors="white", linewidth=0.25, antialiased=False)

    by_name = {col.name: x0 for col, x0 in zip(columns, lefts)}
    # masked targets: hatched over the target block
    t0 = by_name["target.0"]
    n_targets = activity.config.variant.outdim
    for t in np.flatnonzero(~mask):
        ax.add_patch(Rectangle((t0, t), n_targets, 1, facecolor="0.93", edgecolor="0.55",
                               hatch="/////", linewidth=0))
    # argmax of the output, right or wrong
    for t in range(steps):
        x0 = by_name[f"out.y{prediction[t]}"]
        if mask[t]:
            right = prediction[t] == target[t]
            colour, mark = ("#1a9641", "✓") if right else ("#d7191c", "✗")
        else:
            colour, mark = "0.5", "·"
        ax.add_patch(Rectangle((x0 + 0.08, t + 0.08), 0.84, 0.84, fill=False,
                               edgecolor=colour, linewidth=1.1))
        ax.text(mark_x + 0.5, t + 0.5, mark, color=colour, ha="center", va="center",
                fontsize=_FONT + 1)

    ax.set_xlim(-0.2, mark_x + 1.2)
    ax.set_ylim(steps, 0)
    ax.set_xticks([])
    ax.set_yticks(np.arange(steps) + 0.5, [str(t) for t in range(steps)], fontsize=_FONT)
    ax.tick_params(axis="y", length=0, pad=2)
    ax.set_ylabel("step t", fontsize=_FONT + 0.5, labelpad=2)
    for spine in ax.spines.values():
        spine.set_visible(False)

    # headers: column labels, groups (units), blocks (layers)
    for col, x0 in zip(columns, lefts):
        ax.text(x0 + 0.5, -0.2, col.label, ha="center", va="bottom", fontsize=_FONT,
                clip_on=False)
    ax.text(mark_x + 0.5, -0.2, "ok", ha="center", va="bottom", fontsize=_FONT)
    block_names = {"input": "input", "target": "target", "output": "output"}
    for group, x_start, x_stop in _runs(columns, lefts, lambda c: (c.block, c.group)):
        block, name = group
        if block in block_names:
            continue
        ax.text((x_start + x_stop) / 2, -1.15, name, ha="center", va="bottom",
                fontsize=_FONT, clip_on=False)
    for block, x_start, x_stop in _runs(columns, lefts, lambda c: c.block):
        name = block_names.get(block, f"hidden layer {block[len('hidden'):]}")
        y = -1.15 if block in block_names else -2.2
        ax.text((x_start + x_stop) / 2, y, name, ha="center", va="bottom",
                fontsize=_FONT + 0.5, fontweight="bold" if block.startswith("hidden") else None,
                clip_on=False)
        if block.startswith("hidden"):
            ax.plot([x_start + 0.1, x_stop - 0.1], [-2.12, -2.12], color="0.3",
                    linewidth=0.6, clip_on=False)
    fig.text(0.1 / fig_w, 1 - 0.08 / fig_h, _title(activity), ha="left", va="top",
             fontsize=_FONT + 1.5, linespacing=1.4)

    # colour scales, labelled
    grey_label = "\n".join(filter(None, [
        f"gates {' '.join(gate_names)}" if gate_names else "",
        "one-hot input / target, output p"]))
    bars = [(GREYS, Normalize(0, 1), grey_label)]
    for q, limit in limits.items():
        bars.append((DIVERGING, Normalize(-limit, limit),
                     f"{LABELS.get(q, q)} − column mean\n(red below, blue above)"))
    x = left
    for cmap, norm, label in bars:
        cax = fig.add_axes((x / fig_w, 0.5 / fig_h, bar_w / fig_w, 0.08 / fig_h))
        bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax,
                           orientation="horizontal")
        bar.set_label(label, fontsize=_FONT, labelpad=1.5)
        bar.ax.tick_params(labelsize=_FONT - 0.5, length=2, pad=1)
        bar.outline.set_linewidth(0.4)
        x += bar_w + bar_gap
    fig.text(left / fig_w, 0.06 / fig_h,
             "output: argmax outlined, green = right, red = wrong;  hatched target: masked step "
             "(no target)",
             fontsize=_FONT - 0.5, ha="left", va="bottom", color="0.25")
    return fig


def _write_figure(fig, out_dir, stem):
    paths = []
    for fmt in FORMATS:
        path = os.path.join(out_dir, f"{stem}.{fmt}")
        fig.savefig(path, dpi=DPI)
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
    os.makedirs(out_dir, exist_ok=True)
    columns = activity_columns(activity)
    limits = _value_limits(columns)
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
    paths = _write_figure(draw_activity(activity), out_dir, stem)
    npz = os.path.join(out_dir, f"{stem}.npz")
    np.savez_compressed(npz, **data)
    csv_path = os.path.join(out_dir, f"{stem}.csv")
    s = activity.sequence
    with open(csv_path, "w", newline="") as handle:
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
    return paths + [npz, csv_path]


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


# --- Figures 1-5: the tasks ------------------------------------------------------

def pattern_variant(task):
    """The `tasks.Variant` the paper pictures for `task`, and its figure number."""
    number, k, steps_back = PATTERN_FIGURES[task]
    return tasks.Variant(task, k, steps_back), number


def _task_title(spec):
    """'Fixed Delay Recall' from the registry's 'Section III, Fixed Delay Recall; Fig. 1'."""
    where = spec.paper.split(";")[0]
    return where.split(", ", 1)[1] if ", " in where else where


def draw_pattern(inputs, targets, mask, variant, figure, sequence):
    """One example sequence of a task: input and target rows, masked steps hatched.

    Cells are coloured by symbol (the same colour for a symbol in both rows,
    so a target can be traced back to its input by eye) and show it as text.

    Parameters
    ----------
    inputs, targets : ndarray of int, shape (T,)
    mask : ndarray of bool, shape (T,)
    variant : tasks.Variant
    figure : int
        The paper's figure number.
    sequence : int
        Which sequence of the variant's data set this is (for the title).

    Returns
    -------
    matplotlib.figure.Figure
    """
    steps = len(inputs)
    cell = 0.3
    left, right, top, bottom = 0.75, 0.15, 0.5, 0.3
    fig_w = left + steps * cell + right
    fig_h = top + 2 * cell + bottom
    fig = Figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((left / fig_w, bottom / fig_h, steps * cell / fig_w, 2 * cell / fig_h))
    for row, (values, shown) in enumerate(((inputs, np.ones(steps, bool)), (targets, mask))):
        for t in range(steps):
            if shown[t]:
                face = PATTERN_COLOURS(int(values[t]) % PATTERN_COLOURS.N)
                ax.add_patch(Rectangle((t, row), 1, 1, facecolor=face, edgecolor="0.3",
                                       linewidth=0.6))
                ax.text(t + 0.5, row + 0.5, str(values[t]), ha="center", va="center",
                        fontsize=9)
            else:
                ax.add_patch(Rectangle((t, row), 1, 1, facecolor="0.92", edgecolor="0.3",
                                       hatch="////", linewidth=0.6))
    ax.set_xlim(0, steps)
    ax.set_ylim(2, 0)
    ax.set_yticks([0.5, 1.5], ["input", "target"], fontsize=9)
    ax.set_xticks(np.arange(steps) + 0.5, [str(t) for t in range(steps)], fontsize=7)
    ax.xaxis.tick_top()
    ax.tick_params(length=0, pad=2)
    for spine in ax.spines.values():
        spine.set_visible(False)
    spec = tasks.TASKS[variant.task]
    params = f"k = {variant.k}" + (f", N = {variant.steps_back}"
                                   if variant.steps_back is not None else "")
    fig.text(0.1 / fig_w, 1 - 0.08 / fig_h,
             f"Fig. {figure}. {_task_title(spec)} ({variant.id}: {params}); "
             f"data-set sequence {sequence}", fontsize=8.5, ha="left", va="top")
    fig.text(left / fig_w, 0.06 / fig_h, "step t above; hatched = masked (no target)",
             fontsize=7, color="0.3", ha="left", va="bottom")
    return fig


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
    os.makedirs(out_dir, exist_ok=True)
    x = data.inputs[sequence, :steps]
    y = data.targets[sequence, :steps]
    m = data.mask[sequence, :steps]
    paths = _write_figure(draw_pattern(x, y, m, data.variant, figure, sequence), out_dir, stem)
    npz = os.path.join(out_dir, f"{stem}.npz")
    np.savez_compressed(npz, inputs=x, targets=y, mask=m, variant=np.array(data.variant_id),
                        task=np.array(data.task), k=np.array(data.k),
                        steps_back=np.array(-1 if data.steps_back is None else data.steps_back),
                        data_seed=np.array(data.seed), sequence=np.array(sequence),
                        figure=np.array(figure))
    csv_path = os.path.join(out_dir, f"{stem}.csv")
    with open(csv_path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["step", "input", "target", "masked"])
        for t in range(len(x)):
            writer.writerow([t, x[t], "" if not m[t] else y[t], int(not m[t])])
    return paths + [npz, csv_path]
