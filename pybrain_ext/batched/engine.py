"""Forward and backward passes of many same-shaped networks over many sequences.

Everything is computed for a stack of ``models`` networks at once.  A batch's
sequences are laid out in columns, time-major: column ``t * seqs + s`` is step
``t`` of sequence ``s``, so one network's whole history is one matrix and the
connections that do not wrap around in time (input -> hidden, hidden -> hidden
above, hidden -> out) are one ``np.matmul`` per network for all steps.  Only the
recurrence runs step by step.  Hidden layers are computed bottom-up, each for
all steps, and the backward pass top-down, each for all steps backwards in time:
with no recurrence across layers this is the same computation as PyBrain's
step-by-step, layer-by-layer order.

All derivatives are PyBrain's ``derivs``: minus the gradient, with output error
``importance * (target - output)`` (the softmax hands it through unchanged, so
it is minus the gradient of the importance-weighted cross-entropy).

Every per-network operation is a separate ``matmul`` slice or an elementwise
operation, never a reduction across networks, so a network's numbers do not
depend on which other networks share its batch.
"""
from dataclasses import dataclass

import numpy as np

from pybrain_ext.batched.cells import CELL_STEPS, safe_exp


@dataclass(frozen=True, eq=False)
class Sequences:
    """The data of a batch of networks, one data set per network.

    Parameters
    ----------
    inputs : int array, shape (models, seqs, steps)
        Input symbols in ``{0..indim-1}`` (one-hot in the network).
    targets : int array, shape (models, seqs, steps)
        Target classes in ``{0..outdim-1}``.
    mask : bool array, shape (models, seqs, steps)
        True where the target counts (PyBrain's importance, over all outputs).
    indim, outdim : int
    """
    inputs: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    indim: int
    outdim: int

    def __post_init__(self):
        inputs, targets, mask = (np.asarray(a) for a in (self.inputs, self.targets, self.mask))
        if inputs.ndim != 3:
            raise ValueError(f"inputs must have shape (models, seqs, steps); got {inputs.shape}")
        for name, array in (("targets", targets), ("mask", mask)):
            if array.shape != inputs.shape:
                raise ValueError(f"{name} must have the inputs' shape {inputs.shape}; "
                                 f"got {array.shape}")
        if not (np.issubdtype(inputs.dtype, np.integer)
                and np.issubdtype(targets.dtype, np.integer)):
            raise ValueError("inputs and targets must be integer arrays")
        if mask.dtype != bool:
            raise ValueError(f"mask must be a bool array; got {mask.dtype}")
        if inputs.size and (inputs.min() < 0 or inputs.max() >= self.indim):
            raise ValueError(f"inputs must lie in {{0..{self.indim - 1}}}")
        if targets.size and (targets.min() < 0 or targets.max() >= self.outdim):
            raise ValueError(f"targets must lie in {{0..{self.outdim - 1}}}")
        models, seqs, steps = inputs.shape
        # columns t * seqs + s, time-major
        columns = lambda a: a.transpose(0, 2, 1).reshape(models, steps * seqs)  # noqa: E731
        eye_in, eye_out = np.eye(self.indim), np.eye(self.outdim)
        importance = columns(mask).astype(float)[:, None, :]               # (models, 1, cols)
        object.__setattr__(self, "onehot",
                           eye_in[columns(inputs)].transpose(0, 2, 1).copy())  # (models, indim, cols)
        object.__setattr__(self, "target_codes",
                           eye_out[columns(targets)].transpose(0, 2, 1) * importance)
        object.__setattr__(self, "importance", importance)
        object.__setattr__(self, "counted", mask.sum(axis=(1, 2)))         # (models,)

    @property
    def models(self):
        return self.inputs.shape[0]

    @property
    def seqs(self):
        return self.inputs.shape[1]

    @property
    def steps(self):
        return self.inputs.shape[2]

    def take(self, rows):
        """The data of the networks ``rows`` (an index array), in that order."""
        return Sequences(self.inputs[rows], self.targets[rows], self.mask[rows],
                         self.indim, self.outdim)

    @classmethod
    def stack(cls, datasets, indim, outdim):
        """One network's data per element of ``datasets`` (objects with ``inputs``,
        ``targets``, ``mask`` of shape (seqs, steps), e.g. ``tasks.TaskData``)."""
        shapes = {np.shape(d.inputs) for d in datasets}
        if len(shapes) != 1:
            raise ValueError(f"all data sets of a batch need one shape; got {sorted(shapes)}")
        return cls(np.stack([d.inputs for d in datasets]),
                   np.stack([d.targets for d in datasets]),
                   np.stack([d.mask for d in datasets]), indim, outdim)


@dataclass
class Forward:
    """What a forward pass keeps for the backward pass."""
    states: list        # per hidden layer: one cell state per step
    hs: list            # per hidden layer: (models, H, cols), the outputs h at every column
    y: np.ndarray       # (models, outdim, cols) softmax outputs


def _T(w):
    return w.swapaxes(1, 2)


def forward(arch, params, data):
    """Run every network of the batch over its sequences.

    Parameters
    ----------
    arch : Architecture
    params : ndarray, shape (models, arch.paramdim)
        PyBrain's flat parameter layout, one row per network.
    data : Sequences

    Returns
    -------
    Forward
    """
    W = arch.weights(params)
    cell = CELL_STEPS[arch.cell]
    S, T = data.seqs, data.steps
    states, hs = [], []
    for layer, name in enumerate(arch.hidden_names):
        x = None                     # (models, G*H, cols): feed-forward input, all steps
        for source in arch.inputs_of(layer):
            below = data.onehot if source == "in" else hs[layer - 1]
            term = np.matmul(W[(source, name)], below)
            x = term if x is None else x + term
        w_rec = W.get((name, name))
        h_all = np.empty((data.models, arch.hidden, T * S))              # (models, H, cols)
        layer_states, prev = [], None
        for t in range(T):
            cols = slice(t * S, (t + 1) * S)
            rec = None if prev is None else np.matmul(w_rec, prev.h)    # (models, G*H, seqs)
            prev = cell.forward(x[:, :, cols], rec, prev)
            h_all[:, :, cols] = prev.h
            layer_states.append(prev)
        states.append(layer_states)
        hs.append(h_all)
    # softmax output: bias first, then the hidden layers feeding it, as PyBrain adds them
    z = None
    for source in arch.output_sources():
        term = (W[("bias", "out")] if source == "bias"
                else np.matmul(W[(source, "out")], hs[int(source[6:])]))
        z = term if z is None else z + term                                  # (models, outdim, cols)
    y = safe_exp(z)
    y /= y.sum(axis=1, keepdims=True)
    return Forward(states, hs, y)


def step_errors(y, data):
    """PyBrain's error at each step: ``0.5 * importance . (target - y)**2``.

    Returns an array of shape (models, steps, seqs).
    """
    sq = (data.target_codes - y) ** 2                                         # (models, outdim, cols)
    e = 0.5 * (data.importance * sq).sum(axis=1)                              # (models, cols)
    return e.reshape(data.models, data.steps, data.seqs)


def mean_error(y, data):
    """PyBrain's ``testOnData``: Σ step errors / Σ importance, per network.

    Summed in PyBrain's order (steps of a sequence in turn, then sequences in
    turn), which ``cumsum`` does strictly sequentially.
    """
    per_seq = np.cumsum(step_errors(y, data), axis=1)[:, -1]                 # (models, seqs)
    total = np.cumsum(per_seq, axis=1)[:, -1]                                 # (models,)
    return total / (data.outdim * data.counted)


def errors(arch, params, data):
    """PyBrain's ``testOnData`` error of each network on its data, shape (models,)."""
    return mean_error(forward(arch, params, data).y, data)


def classification_error(arch, params, data):
    """Percentage of unmasked steps whose output's argmax is not the target (§4)."""
    if np.any(data.counted == 0):
        raise ValueError("a data set has no unmasked step to score")
    y = forward(arch, params, data).y
    predicted = y.argmax(axis=1).reshape(data.models, data.steps, data.seqs)
    wrong = (predicted != data.targets.transpose(0, 2, 1)) & data.mask.transpose(0, 2, 1)
    return 100.0 * wrong.sum(axis=(1, 2)) / data.counted


def backward(arch, params, data, fw):
    """PyBrain's ``derivs`` of every network, summed over its sequences.

    Parameters
    ----------
    arch, params, data
        As given to :func:`forward`.
    fw : Forward
        The forward pass of ``params`` on ``data``.

    Returns
    -------
    ndarray, shape (models, arch.paramdim)
        Minus the gradient, in PyBrain's flat layout.
    """
    W = arch.weights(params)
    derivs = np.zeros_like(params)
    dW = arch.weights(derivs)
    cell = CELL_STEPS[arch.cell]
    S, T = data.seqs, data.steps
    e_out = (data.target_codes - fw.y) * data.importance                     # (models, outdim, cols)
    dW[("bias", "out")][...] = e_out.sum(axis=2, keepdims=True)
    delta_above = None             # (models, G*H, cols) error on the input of the layer above
    for layer in reversed(range(arch.layers)):
        name, h_all = arch.hidden_names[layer], fw.hs[layer]
        # error on h from the connections leaving this layer, in name order
        dh = None                                                             # (models, H, cols)
        if layer + 1 < arch.layers:
            dh = np.matmul(_T(W[(name, f"hidden{layer + 1}")]), delta_above)
        if (name, "out") in W:
            term = np.matmul(_T(W[(name, "out")]), e_out)
            dh = term if dh is None else dh + term
            dW[(name, "out")][...] = np.matmul(e_out, _T(h_all))
        w_rec = W[(name, name)]
        delta = np.empty((data.models, arch.gates * arch.hidden, T * S))     # (models, G*H, cols)
        recdelta = np.empty_like(delta)
        states, back, carry = fw.states[layer], None, None
        for t in reversed(range(T)):
            cols = slice(t * S, (t + 1) * S)
            prev = states[t - 1] if t > 0 else None
            d, rd, carry = cell.backward(dh[:, :, cols], back, states[t], prev, carry)
            delta[:, :, cols], recdelta[:, :, cols] = d, rd
            if t > 0:
                back = np.matmul(_T(w_rec), rd)                               # (models, H, seqs)
        # recurrent weights: Σ_{t >= 1} recdelta_t h_{t-1}^T
        dW[(name, name)][...] = np.matmul(recdelta[:, :, S:], _T(h_all[:, :, :-S]))
        for source in arch.inputs_of(layer):
            below = data.onehot if source == "in" else fw.hs[layer - 1]
            dW[(source, name)][...] = np.matmul(delta, _T(below))
        delta_above = delta
    return derivs


def record(arch, params, inputs):
    """Everything one network computes on some sequences, for figures.

    Parameters
    ----------
    arch : Architecture
    params : ndarray, shape (paramdim,)
        PyBrain's flat layout.
    inputs : int array, shape (seqs, steps)

    Returns
    -------
    dict
        ``{"hidden0": {...}, ..., "out": {"y": ...}}``.  Per hidden layer, for
        lstm the gates ``i, f, o``, cell input ``g``, cell state ``c`` and output
        ``h``; for gru ``r, z, hhat, h``; for the simple cells ``h``: arrays of
        shape (seqs, steps, hidden).  ``y``: the softmax outputs, (seqs, steps, outdim).
    """
    params = np.asarray(params, dtype=float)
    if params.shape != (arch.paramdim,):
        raise ValueError(f"params must have shape ({arch.paramdim},); got {params.shape}")
    inputs = np.asarray(inputs)
    if inputs.ndim != 2:
        raise ValueError(f"inputs must have shape (seqs, steps); got {inputs.shape}")
    zeros = np.zeros(inputs.shape, dtype=int)
    data = Sequences(inputs[None], zeros[None], np.ones((1,) + inputs.shape, dtype=bool),
                     arch.indim, arch.outdim)
    fw = forward(arch, params[None], data)
    fields = CELL_STEPS[arch.cell].record
    out = {}
    for name, states in zip(arch.hidden_names, fw.states):
        # per step (1, H, seqs) -> (seqs, steps, H)
        out[name] = {key: np.stack([getattr(s, field)[0] for s in states]).transpose(2, 0, 1)
                     for key, field in fields.items()}
    seqs, steps = inputs.shape
    out["out"] = {"y": fw.y[0].reshape(arch.outdim, steps, seqs).transpose(2, 1, 0)}
    return out
