"""The figures drawn with matplotlib: the activity view (Fig. 6) and the task patterns (Figs. 1-5).

- the **activity view** (paper Fig. 6): how a trained network processes one
  test sequence -- for every hidden unit its gates (grey, darker = closer to 1),
  and its cell input, cell state and output (red / blue = below / above the
  column's mean), with the input, the target and the softmax output.  Any
  cell type: LSTM ``i f o g c h``, GRU ``r z ĥ h``, simple cells ``h``.
- the **task patterns** (paper Figs. 1-5): one example sequence per task, input
  and target rows, masked steps hatched.

    fig = draw_activity(activity)          # a reproduce.analysis.figures.data.Activity
    fig = draw_pattern(inputs, targets, mask, variant, figure=3, sequence=0)

No pyplot: figures are ``matplotlib.figure.Figure`` objects rendered by the Agg
(PNG) and PDF backends, so nothing needs a display or changes global state.
"""
import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import tasks
from pybrain_ext.batched.cells import CELL_TYPES
from reproduce.analysis.figures.data import LABELS, activity_columns

GREYS = colormaps["Greys"]        # 0 white -> 1 black
DIVERGING = colormaps["RdBu"]     # below the mean red -> above it blue
PATTERN_COLOURS = colormaps["Pastel1"]

# Sizes in inches (paper size: a full-width figure is about 7 in).
_COLUMN_WIDTH = 0.095
_ROW_HEIGHT = 0.13
_UNIT_GAP = 0.35                  # in columns, between the units of a layer
_BLOCK_GAP = 1.0                  # in columns, between input, target, layers, output
_FONT = 6.0


def value_limits(columns):
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
    cell = CELL_TYPES[c.cell].title
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
    limits = value_limits(columns)
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
