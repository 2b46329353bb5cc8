"""The mechanisms of Figure 6, measured over many retrained networks instead of one.

    chosen = choose(runs, "lstm", "multiswitch", 30)     # solved runs, deterministically
    cache = measure(chosen)                             # retrain, record, clamp, correlate
    write_cache(cache, "results/paper/var0.09+cap50/mechanisms.csv")
    read_cache("results/paper/var0.09+cap50/mechanisms.csv")   # what the claims read

The paper inspects one network per task (Section IV-B): an LSTM on Multiswitch whose
cell states track the switches and whose output gate "was not found to be
important", and a GRU on Single Variable Binding whose update gate and candidate do
the work while "the role of the reset gate was less clear".  Here every chosen
network -- solved runs of a stored grid (test error printed as 0.0), picked
deterministically -- is retrained from its configuration (the engines are
deterministic: the retrained test error must equal the stored one, and `measure`
says where it does not), recorded on its test sequences through PyBrain
(`reproduce.analysis.figures.activity_of`) and then measured:

* ``error``: the test error (%) of the network as it is;
* ``error_<gate><value>``: the test error with one gate of every unit of every layer
  held at a value (`CLAMPS`: LSTM ``o``, ``i``, ``f`` at 1 and ``o`` at each unit's
  mean; GRU ``z`` at 1, at 0 and at its mean, ``r`` at 1 and at its mean), from
  `forward`, an independent numpy pass in PyBrain's formulas that reproduces the
  recorded outputs when nothing is clamped;
* ``switch_corr_max``: Multiswitch only, the largest |correlation| over the test
  steps between any cell state ``c`` and any switch's state (0/1, the parity of how
  often its symbol was seen); ``switch_corr_min``: the smallest, over switches, of
  each switch's best |correlation| (every switch tracked by some cell).

The cache is one CSV row per network; `reproduce claims --mechanisms` reads it, so the
verdicts rebuild in seconds without retraining.
"""
import time

import numpy as np
import pandas as pd

import tasks
from reproduce.analysis.style import PERFECT_POINTS
from reproduce.store.selection import replicate_column

# cell -> the tasks whose solved networks the paper's Figure 6 discussion is about
GROUPS = (("lstm", "multiswitch"), ("gru", "svb"))
# cell -> column suffix -> (gate, value held): the clamps measured
# (a value, or "mean": each unit's mean over the test steps, so only the gate's changes are
# removed, not its level)
CLAMPS = {"lstm": {"o1": ("o", 1.0), "omean": ("o", "mean"), "i1": ("i", 1.0),
                   "f1": ("f", 1.0)},
          "gru": {"z1": ("z", 1.0), "z0": ("z", 0.0), "zmean": ("z", "mean"),
                  "r1": ("r", 1.0), "rmean": ("r", "mean")}}
RUN_COLUMNS = ("key", "variant", "cell", "layers", "hidden", "skip", "delta0", "seed",
               "replicate", "engine")
MEASURES = ("stored_error", "retrained_error", "recorded_error", "error",
            *(f"error_{name}" for clamps in CLAMPS.values() for name in clamps),
            "switch_corr_max", "switch_corr_min")
COLUMNS = (*RUN_COLUMNS, *MEASURES)
DEFAULT_NETWORKS = 30      # per group; the claims need at least 20


def choose(runs, cell, task, count=DEFAULT_NETWORKS):
    """Up to `count` solved runs of `cell` on `task` (test error at most PERFECT_POINTS),
    deterministically: the variants' solved runs in key order, taken in turn from each
    variant (hardest first), so harder variants are not crowded out.

    Parameters
    ----------
    runs : DataFrame
        ``ok`` store rows (with ``config``, ``key``, ``test_error``).
    """
    solved = runs[(runs["cell"] == cell) & (runs["task"] == task)
                  & (runs["test_error"] <= PERFECT_POINTS)].sort_values("key", kind="stable")
    by_variant = {v: list(g.index) for v, g in solved.groupby("variant", sort=False)}
    order = sorted(by_variant, key=lambda v: -tasks.parse_variant(v).k)
    picked = []
    while len(picked) < count and any(by_variant[v] for v in order):
        for v in order:
            if by_variant[v] and len(picked) < count:
                picked.append(by_variant[v].pop(0))
    chosen = solved.loc[picked].copy()
    chosen["replicate"] = replicate_column(chosen)
    return chosen


def forward(config, params, inputs, clamp=None):
    """Softmax outputs ``(S, T, outdim)`` and every hidden layer's states, computed in numpy
    from PyBrain's formulas (`pybrain_ext.layers`, PyBrain's ``LSTMLayer``) -- not the
    engines' code -- with one gate optionally held fixed.

    Parameters
    ----------
    config : RunConfig
    params : array_like, shape (paramdim,)
        PyBrain's flat layout.
    inputs : int array, shape (S, T)
    clamp : (str, value), optional
        A gate (``i``, ``f``, ``o`` of an LSTM; ``r``, ``z`` of a GRU) and the value it is
        held at in every unit of every layer: a number, or ``{layer name: (H,) array}``.

    Returns
    -------
    y : ndarray, shape (S, T, outdim)
    states : dict
        ``hidden<i> -> {quantity: (S, T, H)}`` (``c`` and ``h`` for LSTM, ``h`` otherwise).
    """
    from pybrain_ext.batched.architecture import Architecture
    arch = Architecture(*config.architecture)
    W = {k: v[0] for k, v in arch.weights(np.asarray(params, float)[None]).items()}
    x = np.eye(arch.indim)[np.asarray(inputs)]                         # (S, T, indim)
    S, T, _ = x.shape
    H = arch.hidden
    gate, held = clamp if clamp is not None else (None, None)
    states = {}
    for layer, name in enumerate(arch.hidden_names):
        value = held[name] if isinstance(held, dict) else held
        feed = sum(((x if source == "in" else states[source]["h"]) @ W[(source, name)].T)
                   for source in arch.inputs_of(layer))                # (S, T, G*H)
        rec = W[(name, name)]                                          # (G*H, H)
        h, c = np.zeros((S, H)), np.zeros((S, H))
        hs, cs = np.empty((S, T, H)), np.empty((S, T, H))
        for t in range(T):
            a = feed[:, t]
            if arch.cell == "lstm":        # blocks [i, f, g, o]; h_{-1} = c_{-1} = 0
                a = a + h @ rec.T
                i, f = _sigmoid(a[:, :H]), _sigmoid(a[:, H:2 * H])
                g, o = np.tanh(a[:, 2 * H:3 * H]), _sigmoid(a[:, 3 * H:])
                i, f, o = (np.broadcast_to(value, v.shape) if gate == n else v
                           for n, v in (("i", i), ("f", f), ("o", o)))
                c = i * g + f * c
                h = o * np.tanh(c)
            elif arch.cell == "gru":       # blocks [r, z, hhat]; U = [U_r; U_z; U_h]
                r = _sigmoid(a[:, :H] + h @ rec[:H].T)
                z = _sigmoid(a[:, H:2 * H] + h @ rec[H:2 * H].T)
                r = np.broadcast_to(value, r.shape) if gate == "r" else r
                z = np.broadcast_to(value, z.shape) if gate == "z" else z
                hhat = np.tanh(a[:, 2 * H:] + r * (h @ rec[2 * H:].T))
                h = (1 - z) * hhat + z * h
            else:
                h = _SIMPLE[arch.cell](a + h @ rec.T)
            hs[:, t], cs[:, t] = h, c
        states[name] = {"h": hs, **({"c": cs} if arch.cell == "lstm" else {})}
    z = W[("bias", "out")][:, 0] + sum(states[source]["h"] @ W[(source, "out")].T
                                       for source in arch.output_sources()[1:])
    z = np.exp(np.clip(z, -500, 500))
    return z / z.sum(axis=-1, keepdims=True), states


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


_SIMPLE = {"tanh": np.tanh, "sigmoid": _sigmoid, "relu": lambda a: np.maximum(a, 0)}


def error_of(y, targets, mask):
    """Test error (%): unmasked steps whose output's argmax is not the target."""
    wrong = (y.argmax(axis=-1) != targets) & mask
    return 100.0 * wrong.sum() / mask.sum()


def switch_states(inputs, k):
    """Every switch's state after each step, ``(S, T, k)``: the parity of how often its
    symbol has been seen so far (Multiswitch, all switches starting at 0)."""
    seen = np.cumsum(np.asarray(inputs)[..., None] == np.arange(k), axis=-2)
    return (seen % 2).astype(float)


def switch_correlations(cell_states, inputs, k):
    """|correlation| of each cell state unit (columns of ``(S, T, units)``) with each
    switch's state over all test steps, ``(units, k)`` (0 where a unit is constant)."""
    a = cell_states.reshape(-1, cell_states.shape[-1])
    b = switch_states(inputs, k).reshape(-1, k)
    a = a - a.mean(axis=0)
    b = b - b.mean(axis=0)
    norm = np.sqrt((a * a).sum(axis=0))[:, None] * np.sqrt((b * b).sum(axis=0))[None]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (a.T @ b) / norm
    return np.abs(np.nan_to_num(r))


def measure_network(config, params):
    """The measures of one trained network (`MEASURES` less the stored and retrained
    errors): recorded through PyBrain, then clamped and correlated."""
    from reproduce.analysis.figures import activity_of
    activity = activity_of(config, params)
    inputs, targets, mask = activity.inputs, activity.targets, activity.mask
    y, _ = forward(config, params, inputs)
    out = {"recorded_error": float(activity.error), "error": float(error_of(y, targets, mask))}
    layers = sorted((k for k in activity.recording if k.startswith("hidden")),
                    key=lambda name: int(name[len("hidden"):]))
    for name, (gate, value) in CLAMPS.get(config.cell, {}).items():
        if value == "mean":
            value = {layer: activity.recording[layer][gate].mean(axis=(0, 1))
                     for layer in layers}
        out[f"error_{name}"] = float(error_of(forward(config, params, inputs,
                                                     (gate, value))[0], targets, mask))
    if config.task == "multiswitch" and config.cell == "lstm":
        cells = np.concatenate([activity.recording[layer]["c"] for layer in layers], axis=-1)
        r = switch_correlations(cells, inputs, config.k)
        out["switch_corr_max"] = float(r.max())
        out["switch_corr_min"] = float(r.max(axis=0).min())
    return out


def measure(chosen, log=print):
    """Retrain the `chosen` runs (`choose`) with the engine that stored them, check their
    test errors, and measure each network; a frame of `COLUMNS`, one row per run."""
    from reproduce.experiment.config import RunConfig
    from reproduce.experiment.engines import fit_many
    rows = []
    for engine, group in chosen.groupby("engine", sort=False):
        configs = [RunConfig.from_json(text) for text in group["config"]]
        start = time.perf_counter()
        fits = fit_many(configs, engine)
        log(f"retrained {len(configs)} networks ({engine}) in "
            f"{time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        for (_, run), config, (result, params) in zip(group.iterrows(), configs, fits):
            row = {c: run[c] for c in RUN_COLUMNS}
            row["stored_error"] = float(run["test_error"])
            row["retrained_error"] = float(result.test_error)
            row.update(measure_network(config, params))
            rows.append(row)
        log(f"recorded, clamped and correlated them in {time.perf_counter() - start:.1f} s")
    frame = pd.DataFrame(rows)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = np.nan
    return frame[list(COLUMNS)]


def mismatches(cache):
    """The rows whose retrained (or recorded, or recomputed) test error is not the stored one."""
    same = ((cache["retrained_error"] == cache["stored_error"])
            & (cache["recorded_error"] == cache["stored_error"])
            & (cache["error"] == cache["stored_error"]))
    return cache[~same]


def write_cache(cache, path):
    """Write the cache (`measure`) as CSV, sorted by cell and key (same rows, same bytes)."""
    cache.sort_values(["cell", "key"], kind="stable").to_csv(
        path, index=False, float_format="%.6g", lineterminator="\n")


def read_cache(path):
    """A cache written by `write_cache`; ValueError saying what is wrong otherwise."""
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the mechanisms cache {path}: {exc}") from None
    missing = [c for c in COLUMNS if c not in frame]
    if missing:
        raise ValueError(f"{path} is not a mechanisms cache: it lacks the columns "
                         f"{', '.join(missing)}")
    return frame


def summary(cache):
    """``mechanisms.md``'s table: per cell, the networks, mismatches and the measures'
    medians and ranges."""
    lines = ["| cell | networks | variants | retrained = stored | measure | median | min | "
             "max |", "|---|---|---|---|---|---|---|---|"]
    for cell, rows in cache.groupby("cell", sort=False):
        bad = len(mismatches(rows))
        variants = ", ".join(f"{v} {n}" for v, n in rows["variant"].value_counts(sort=False)
                             .items())
        first = f"| {cell} | {len(rows)} | {variants} | {len(rows) - bad}/{len(rows)} |"
        measures = ["error", *(f"error_{n}" for n in CLAMPS.get(cell, {}))]
        if rows["switch_corr_max"].notna().any():
            measures += ["switch_corr_max", "switch_corr_min"]
        for i, m in enumerate(measures):
            values = rows[m]
            lead = first if i == 0 else "| | | | |"
            lines.append(f"{lead} {m} | {values.median():.3g} | {values.min():.3g} | "
                         f"{values.max():.3g} |")
    return "\n".join(lines) + "\n"
