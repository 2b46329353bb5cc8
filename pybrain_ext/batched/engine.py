"""Forward and backward passes of many same-shaped networks over many sequences.

Everything is computed for a stack of ``models`` networks at once, one
``np.matmul`` slice or elementwise operation per network, never a reduction
across networks, so a network's numbers do not depend on which other networks
share its batch.

Layout.  A batch's sequences are laid out in columns, time-major: column
``t * seqs + s`` is step t of sequence s.  Each hidden layer has a stacked
input ``X`` (``# (models, H + F, (T+1) * seqs)``) whose column block t holds
``[h_{t-1}; h_t of the layer below; one-hot input_t]`` (the parts the layer
has; ``h_{-1} = 0``), and the layer's weights are packed into one matrix
``V`` (``# (models, B * H, H + F)``) with rows in the cell's block order
(``CELL_TYPES[cell].steps.blocks``, :mod:`pybrain_ext.batched.cells`), so a
step's pre-activation is one matrix product ``V @ X[block t]``, a step of the
backward pass one ``V^T @ delta_t``, and the weights' derivatives the sum of
``delta_t X[block t]^T`` over the steps.  Hidden layers are computed bottom-up, each
for all steps, and the backward pass top-down: with no recurrence across
layers this is PyBrain's computation in another order.  Per-step cell states
are stored time-major (``# (T, models, units, seqs)``) so each step's are
contiguous, and all buffers come from a :class:`Workspace` that a training run
reuses every epoch.

All derivatives are PyBrain's ``derivs``: minus the gradient, with output error
``importance * (target - output)`` (the softmax hands it through unchanged, so
it is minus the gradient of the importance-weighted cross-entropy).  Sums are
not in PyBrain's order, so results agree with PyBrain's to rounding.
"""
import math
from dataclasses import dataclass

import numpy as np

from pybrain_ext.batched import kernels
from pybrain_ext.batched.cells import CELL_TYPES, State, safe_exp
from pybrain_ext.rprop import check_untargeted

# a stand-in for a state buffer the cell does not have (the compiled passes take all three)
_NO_BUFFER = {"act": np.empty((0,) * 5), "c": np.empty((0,) * 4), "tc": np.empty((0,) * 4)}


@dataclass(frozen=True, eq=False)
class Sequences:
    """The data of a batch of networks, one data set per network.

    Parameters
    ----------
    inputs : int array, shape (models, seqs, steps)
        Input symbols in ``{0..indim-1}`` (one-hot in the network).
    targets : int array, shape (models, seqs, steps)
        Target classes in ``{0..outdim-1}``, or -1 for the zero target vector
        (a step without a target that still counts, as in a plain PyBrain
        ``SequentialDataSet``; scored as class 0, PyBrain's ``argmax`` of it).
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
        if targets.size and (targets.min() < -1 or targets.max() >= self.outdim):
            raise ValueError(f"targets must lie in {{0..{self.outdim - 1}}} or be -1 "
                             "(the zero vector)")
        models, seqs, steps = inputs.shape
        # columns t * seqs + s, time-major
        columns = lambda a: a.transpose(0, 2, 1).reshape(models, steps * seqs)  # noqa: E731
        importance = columns(mask).astype(float)[:, None, :]                   # (models, 1, cols)
        eye_in = np.eye(self.indim)
        eye_out = np.vstack([np.eye(self.outdim), np.zeros(self.outdim)])  # row -1: zeros
        set_ = lambda name, value: object.__setattr__(self, name, value)       # noqa: E731
        set_("onehot", eye_in[columns(inputs)].transpose(0, 2, 1).copy())  # (models, indim, cols)
        set_("target_codes", eye_out[columns(targets)].transpose(0, 2, 1) * importance)
        set_("importance", importance)
        set_("counted", mask.sum(axis=(1, 2)))                                 # (models,)

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
    def stack(cls, datasets, indim, outdim, untargeted="masked"):
        """One network's data per element of ``datasets`` (objects with ``inputs``,
        ``targets``, ``mask`` of shape (seqs, steps), e.g. ``tasks.TaskData``).

        ``untargeted`` says what the steps without a target (mask False) become:
        ``"masked"`` leaves them out, ``"zero_target"`` counts them with the zero
        target vector, ``"class0_target"`` with the one-hot target of class 0 (see
        :data:`~pybrain_ext.rprop.UNTARGETED_STEPS`).
        """
        check_untargeted(untargeted)
        shapes = {np.shape(d.inputs) for d in datasets}
        if len(shapes) != 1:
            raise ValueError(f"all data sets of a batch need one shape; got {sorted(shapes)}")
        targets = np.stack([d.targets for d in datasets])
        mask = np.stack([d.mask for d in datasets])
        if untargeted == "zero_target":
            targets, mask = np.where(mask, targets, -1), np.ones_like(mask)
        elif untargeted == "class0_target":
            targets, mask = np.where(mask, targets, 0), np.ones_like(mask)
        return cls(np.stack([d.inputs for d in datasets]), targets, mask, indim, outdim)


class Workspace:
    """Buffers reused from one pass to the next.

    Fresh large arrays cost a page fault per 4 KiB page on first touch, which
    for these passes is a third of the time; a training run hands the same
    workspace to every epoch.  A buffer only grows, so a shrinking batch reuses
    the front of it.
    """

    def __init__(self):
        self._buffers = {}

    def get(self, name, shape):
        size = math.prod(shape)
        buffer = self._buffers.get(name)
        if buffer is None or buffer.size < size:
            buffer = self._buffers[name] = np.empty(size)
        return buffer[:size].reshape(shape)


def _kernel_buffers(buffers):
    """A layer's ``act, c, tc`` buffers as the compiled passes take them."""
    return [buffers.get(name, _NO_BUFFER[name]) for name in ("act", "c", "tc")]


def _T(w):
    return w.swapaxes(1, 2)


class _Layer:
    """Where one hidden layer's parts sit in its stacked input and packed weights."""

    def __init__(self, arch, layer):
        self.name = arch.hidden_names[layer]
        self.cell = CELL_TYPES[arch.cell].steps
        H = arch.hidden
        # [h_{t-1}; h of the layer below; one-hot input]: rows of X, columns of V
        self.parts, start = [], 0
        for source, size in [(self.name, H), (f"hidden{layer - 1}", H), ("in", arch.indim)]:
            if source == self.name or source in arch.inputs_of(layer):
                self.parts.append((source, slice(start, start + size)))
                start += size
        self.width = start
        self.rows = len(self.cell.blocks) * H

    def pack(self, W, out):
        """Assemble the packed weights ``V`` (models, B*H, H+F) from PyBrain's matrices."""
        H = out.shape[1] // len(self.cell.blocks)
        for b, pair in enumerate(self.cell.blocks):
            for source, cols, block in self._parts_with_blocks(pair):
                target = out[:, b * H:(b + 1) * H, cols]
                if block is None:
                    target[...] = 0
                else:
                    target[...] = W[(source, self.name)][:, block * H:(block + 1) * H]
        return out

    def unpack(self, dV, dW):
        """Scatter the derivatives of ``V`` into PyBrain's matrices (``dW`` views)."""
        H = dV.shape[1] // len(self.cell.blocks)
        for b, pair in enumerate(self.cell.blocks):
            for source, cols, block in self._parts_with_blocks(pair):
                if block is not None:
                    dW[(source, self.name)][:, block * H:(block + 1) * H] = \
                        dV[:, b * H:(b + 1) * H, cols]

    def _parts_with_blocks(self, pair):
        """Each part with its block of PyBrain's matrix: ``pair`` is (recurrent, feed-forward)."""
        recurrent, feed_forward = pair
        for source, cols in self.parts:
            yield source, cols, recurrent if source == self.name else feed_forward


@dataclass
class Forward:
    """What a forward pass keeps for the backward pass."""
    V: list          # per hidden layer: packed weights (models, B*H, H+F)
    X: list          # per hidden layer: stacked inputs (models, H+F, (T+1)*seqs)
    buffers: list    # per hidden layer: the cell's state buffers by name (act: (T, B, models,
    #                  H, seqs); c, tc: (T, models, H, seqs))
    y: np.ndarray    # (models, outdim, cols) softmax outputs
    seqs: int
    hidden: int

    @property
    def states(self):
        """Per hidden layer, per step, a :class:`cells.State` of views of the buffers."""
        return [_states(buffers, X, self.hidden, self.seqs)
                for buffers, X in zip(self.buffers, self.X)]


def _states(buffers, X, H, S):
    T = X.shape[2] // S - 1
    # h_t is in X, where step t+1 and the layers above read it
    return [State(act=buffers["act"][t] if "act" in buffers else None,
                  h=X[:, :H, (t + 1) * S:(t + 2) * S],
                  c=buffers["c"][t] if "c" in buffers else None,
                  tc=buffers["tc"][t] if "tc" in buffers else None) for t in range(T)]


def forward(arch, params, data, work=None):
    """Run every network of the batch over its sequences.

    Parameters
    ----------
    arch : Architecture
    params : ndarray, shape (models, arch.paramdim)
        PyBrain's flat parameter layout, one row per network.
    data : Sequences
    work : Workspace, optional
        Buffers to reuse (the result lives in them until the next call).

    Returns
    -------
    Forward
    """
    work = Workspace() if work is None else work
    W = arch.weights(params)
    M, S, T, H = data.models, data.seqs, data.steps, arch.hidden
    cell = CELL_TYPES[arch.cell].steps
    B = len(cell.blocks)
    pre = work.get("pre", (M, B * H, S))                     # (models, B*H, seqs)
    pre_blocks = pre.reshape(M, B, H, S).transpose(1, 0, 2, 3)  # (B, models, H, seqs)
    Vs, Xs, all_buffers = [], [], []
    for layer in range(arch.layers):
        spec = _Layer(arch, layer)
        V = spec.pack(W, work.get(f"V{layer}", (M, spec.rows, spec.width)))
        X = work.get(f"X{layer}", (M, spec.width, (T + 1) * S))
        for source, rows in spec.parts:
            if source == "in":
                X[:, rows, :T * S] = data.onehot
            elif source != spec.name:
                X[:, rows, :T * S] = Xs[-1][:, :H, S:]       # h of the layer below
        X[:, :H, :S] = 0                                      # h_{-1}
        buffers = {name: work.get(f"{name}{layer}", (T, B, M, H, S) if name == "act"
                                  else (T, M, H, S))
                   for name in cell.buffers}
        code = kernels.code_for(arch.cell)
        if code is not None:
            kernels.forward_layer(code, kernels.ADDRESSES, V, X,
                                  *_kernel_buffers(buffers), T, S, H)
        else:
            states = _states(buffers, X, H, S)
            for t in range(T):
                np.matmul(V, X[:, :, t * S:(t + 1) * S], out=pre)
                cell.forward(pre_blocks, states[t], states[t - 1] if t > 0 else None)
        Vs.append(V)
        Xs.append(X)
        all_buffers.append(buffers)
    # softmax output: bias first, then the hidden layers feeding it, as PyBrain adds them
    z = work.get("z", (M, arch.outdim, T * S))
    z[...] = W[("bias", "out")]
    for source in arch.output_sources()[1:]:
        z += np.matmul(W[(source, "out")], Xs[int(source[6:])][:, :H, S:])
    y = safe_exp(z, out=z)
    y /= y.sum(axis=1, keepdims=True)
    return Forward(Vs, Xs, all_buffers, y, S, H)


def step_errors(y, data):
    """PyBrain's error at each step, ``0.5 * importance . (target - y)**2``.

    The importance is the mask repeated over the outputs, so this is
    ``0.5 * mask * Σ_k (target_k - y_k)**2``, the same numbers.  Returns an
    array of shape (models, steps, seqs).
    """
    sq = (data.target_codes - y) ** 2  # (models, outdim, cols)
    e = sq.sum(axis=1)                                                        # (models, cols)
    e *= data.importance[:, 0]
    e *= 0.5
    return e.reshape(data.models, data.steps, data.seqs)


def mean_error(y, data):
    """PyBrain's ``testOnData``: Σ step errors / Σ importance, per network.

    Summed in PyBrain's order: the steps of each sequence in turn, then the
    sequences in turn.
    """
    e = step_errors(y, data)  # (models, steps, seqs)
    per_seq = e[:, 0].copy()                                                  # (models, seqs)
    for t in range(1, data.steps):
        per_seq += e[:, t]
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
    target = np.maximum(data.targets, 0).transpose(0, 2, 1)   # a zero vector's argmax is 0
    wrong = (predicted != target) & data.mask.transpose(0, 2, 1)
    return 100.0 * wrong.sum(axis=(1, 2)) / data.counted


def backward(arch, params, data, fw, work=None):
    """PyBrain's ``derivs`` of every network, summed over its sequences.

    Parameters
    ----------
    arch, params, data
        As given to :func:`forward`.
    fw : Forward
        The forward pass of ``params`` on ``data``.
    work : Workspace, optional
        Buffers to reuse; not the forward pass's.

    Returns
    -------
    ndarray, shape (models, arch.paramdim)
        Minus the gradient, in PyBrain's flat layout.
    """
    work = Workspace() if work is None else work
    W = arch.weights(params)
    derivs = np.zeros_like(params)
    dW = arch.weights(derivs)
    cell = CELL_TYPES[arch.cell].steps
    M, S, T, H = data.models, data.seqs, data.steps, arch.hidden
    cols = T * S
    e_out = work.get("e_out", (M, arch.outdim, cols))
    np.subtract(data.target_codes, fw.y, out=e_out)
    e_out *= data.importance  # (models, outdim, cols)
    dW[("bias", "out")][...] = e_out.sum(axis=2, keepdims=True)
    # error on every layer's h from the output, then (below) from the layer above
    dh = [None] * arch.layers
    for source in arch.output_sources()[1:]:
        layer = int(source[6:])
        h_all = fw.X[layer][:, :H, S:]                                        # (models, H, cols)
        dW[(source, "out")][...] = np.matmul(e_out, _T(h_all))
        dh[layer] = np.matmul(_T(W[(source, "out")]), e_out,
                              out=work.get(f"dh{layer}", (M, H, cols)))
    B = len(cell.blocks)
    step_delta = work.get("step_delta", (M, B * H, S))                        # (models, B*H, seqs)
    step_blocks = step_delta.reshape(M, B, H, S).transpose(1, 0, 2, 3)       # (B, models, H, seqs)
    e = work.get("e", (M, H, S))
    for layer in reversed(range(arch.layers)):
        spec = _Layer(arch, layer)
        V, X = fw.V[layer], fw.X[layer]
        below = layer > 0
        if below and dh[layer - 1] is None:
            dh[layer - 1] = work.get(f"dh{layer - 1}", (M, H, cols))
            dh[layer - 1][...] = 0
        dV = work.get("dV", V.shape)                                          # (models, B*H, H+F)
        code = kernels.code_for(arch.cell)
        if code is not None:
            kernels.backward_layer(code, kernels.ADDRESSES, V, X,
                                   *_kernel_buffers(fw.buffers[layer]), dh[layer],
                                   dh[layer - 1] if below else dh[layer], dV, T, S, H, below)
            spec.unpack(dV, dW)
            continue
        states = _states(fw.buffers[layer], X, H, S)
        # V^T's rows for h_{t-1} and for the layer below; they come first in X
        Vt = _T(V[:, :, :2 * H if below else H])
        dV[...] = 0
        product = work.get("dV_step", V.shape)
        back, carry = None, None
        for t in reversed(range(T)):
            c = slice(t * S, (t + 1) * S)
            error = dh[layer][:, :, c] if back is None else \
                np.add(dh[layer][:, :, c], back[:, :H], out=e)              # (models, H, seqs)
            carry = cell.backward(error, states[t], states[t - 1] if t > 0 else None, carry,
                                  step_blocks)
            if t > 0 or below:
                back = np.matmul(Vt, step_delta)  # (models, H(+H), seqs)
            if below:
                dh[layer - 1][:, :, c] += back[:, H:]
            dV += np.matmul(step_delta, _T(X[:, :, c]), out=product)  # delta_t [h_{t-1}; x_t]^T
        spec.unpack(dV, dW)
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
    out = {}
    for name, states in zip(arch.hidden_names, fw.states):
        out[name] = {}
        for key, (field, block) in CELL_TYPES[arch.cell].steps.record.items():
            # per step (1, H, seqs) -> (seqs, steps, H)
            arrays = [getattr(s, field) if block is None else getattr(s, field)[block]
                      for s in states]
            out[name][key] = np.stack([a[0] for a in arrays]).transpose(2, 0, 1).copy()
    seqs, steps = inputs.shape
    out["out"] = {"y": fw.y[0].reshape(arch.outdim, steps, seqs).transpose(2, 1, 0).copy()}
    return out
