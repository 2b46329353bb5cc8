"""What the figures show, as numbers: a trained network's recorded activity and its columns.

    activity = activity_of(config, params)        # record a trained network on its test set
    columns = activity_columns(activity)          # the drawn columns, left to right
    variant, figure = pattern_variant("svb")      # the variant the paper's Fig. 4 shows

`reproduce.analysis.figures.drawing` draws these, `reproduce.analysis.figures.io` writes and
reads them.
"""
from dataclasses import dataclass, field

import numpy as np

import tasks
from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.record import record
from reproduce.experiment.build import make_data, make_network
from reproduce.experiment.config import RunConfig

# Pictures of the tasks (paper Figs. 1-5): task -> (figure number, k, steps_back),
# the parameters given in the paper's captions.
PATTERN_FIGURES = {
    "fdr": (1, 3, 2),
    "ddr": (2, 4, None),
    "multiswitch": (3, 3, None),
    "svb": (4, 3, None),
    "mvb": (5, 3, None),
}

# How quantities are shown in column headers (others by their own name).
LABELS = {"hhat": "ĥ"}


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
    (docs/protocol.md §1: the last 16 of 64).

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
        cell = CELL_TYPES[activity.config.cell]
        names = cell.quantities
        width = recorded[names[0]].shape[-1]
        for unit in range(width):
            for q in names:
                style = "gate" if q in cell.gates else "value"
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


def pattern_variant(task):
    """The `tasks.Variant` the paper pictures for `task`, and its figure number."""
    number, k, steps_back = PATTERN_FIGURES[task]
    return tasks.Variant(task, k, steps_back), number
