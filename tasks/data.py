"""Data sets of a task variant: generation from a seed and the train/validation/test split."""
import dataclasses
import zlib
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from pybrain_ext.checks import check_number, set_checked
from tasks.protocol import DATA_SEED, N_SEQUENCES, SEQUENCE_LENGTH, SPLIT
from tasks.registry import TASKS
from tasks.variants import Variant

# First spawn_key word of every data stream: keeps them apart from any other
# SeedSequence(seed) in the project (network init, training) built on the same seed.
_DATA_STREAM = zlib.crc32(b"tasks.data")


@dataclass(frozen=True, eq=False)
class TaskData:
    """A read-only data set of one task variant: inputs, targets and mask.

    Made by `generate` (all sequences) or `split` (a block of them); the
    parameters it was made from are kept beside the arrays, so
    ``generate(variant.task, variant.k, variant.steps_back, n_sequences,
    length, seed)`` rebuilds the parent data set and ``rows`` says which of its
    sequences these are.  Construction validates shapes, dtypes and ranges and
    makes read-only copies of the arrays.  Equality is identity (compare arrays
    explicitly).

    Attributes
    ----------
    variant : Variant
        The task variant (task, k, steps_back); its ``indim`` and ``outdim`` are
        the data set's one-hot input and output sizes.
    n_sequences, length, seed : int
        The `generate` call that made the parent data set.
    inputs : ndarray of int64, shape (n, T)
        Input symbols in ``{0..k-1}``; ``n = len(rows)``, ``T = length``.
    targets : ndarray of int64, shape (n, T)
        Target classes in ``{0..outdim-1}``; 0 where masked.
    mask : ndarray of bool, shape (n, T)
        True where the target is defined.
    rows : range or tuple of int
        Which sequences of the parent data set these are, in order;
        ``range(n_sequences)`` by default (`split` with a random validation
        set gives tuples).
    """

    variant: Variant
    n_sequences: int
    length: int
    seed: int
    inputs: np.ndarray = field(repr=False)
    targets: np.ndarray = field(repr=False)
    mask: np.ndarray = field(repr=False)
    rows: Optional[object] = None

    def __post_init__(self):
        if not isinstance(self.variant, Variant):
            raise ValueError(f"variant must be a tasks.Variant; got {self.variant!r}")

        def set_(name, value):  # the dataclass is frozen; normalise through object.__setattr__
            object.__setattr__(self, name, value)

        set_checked(self, "n_sequences", int, minimum=1)
        set_checked(self, "length", int, minimum=1)
        set_checked(self, "seed", int, minimum=0)
        rows = range(self.n_sequences) if self.rows is None else self.rows
        if isinstance(rows, range):
            valid = rows.step == 1 and 0 <= rows.start and rows.stop <= self.n_sequences
        else:
            valid = (isinstance(rows, tuple) and len(set(rows)) == len(rows) and all(
                isinstance(r, (int, np.integer)) and not isinstance(r, bool)
                and 0 <= r < self.n_sequences for r in rows))
            rows = tuple(map(int, rows)) if valid else rows
        if not valid:
            raise ValueError(f"rows must be a range of step 1 or a tuple of distinct indices "
                             f"within range({self.n_sequences}); got {rows!r}")
        set_("rows", rows)
        shape = (len(rows), self.length)
        for name, kind in (("inputs", "int"), ("targets", "int"), ("mask", "bool")):
            array = np.asarray(getattr(self, name))
            if array.shape != shape:
                raise ValueError(f"{name} must have shape {shape} (rows, length); "
                                 f"got {array.shape}")
            is_bool = array.dtype == bool
            if (kind == "bool") != is_bool or not (is_bool or np.issubdtype(array.dtype,
                                                                             np.integer)):
                raise ValueError(f"{name} must be a {kind} array; got dtype {array.dtype}")
            # Our own copy, so nobody holding the original can change the data set under us.
            array = np.array(array, dtype=bool if kind == "bool" else np.int64)
            array.flags.writeable = False
            set_(name, array)
        k, outdim = self.variant.k, self.variant.outdim
        if self.inputs.size and (self.inputs.min() < 0 or self.inputs.max() >= k):
            raise ValueError(f"inputs must lie in {{0..{k - 1}}}; "
                             f"got values in [{self.inputs.min()}, {self.inputs.max()}]")
        if self.targets.size and (self.targets.min() < 0 or self.targets.max() >= outdim):
            raise ValueError(f"targets must lie in {{0..{outdim - 1}}}; "
                             f"got values in [{self.targets.min()}, {self.targets.max()}]")
        if np.any(self.targets[~self.mask] != 0):
            raise ValueError("targets must be 0 at masked steps")


def _data_rng(variant, seed):
    """The random generator of `variant`'s data set for `seed`.

    ``SeedSequence(entropy=seed, spawn_key=(crc32(b"tasks.data"),
    crc32(variant.id)))``: the spawn key ties the stream to the variant, so
    two variants never share a stream by accident, and to "data", so it is
    apart from other streams built on the same seed.  CRC-32 is a fixed
    function of the id's bytes (unlike Python's salted ``hash()``), so the
    stream is the same in every process.
    """
    key = (_DATA_STREAM, zlib.crc32(variant.id.encode("utf-8")))
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=key))


def generate(task, k, steps_back=None, n_sequences=N_SEQUENCES, length=SEQUENCE_LENGTH,
             seed=DATA_SEED):
    """Generate a task variant's data set, reproducibly from a seed.

    Inputs are i.i.d. uniform over ``{0..k-1}``, drawn as one
    ``(n_sequences, length)`` block from the variant's own stream (see
    below); targets and mask come from the task's rule in `tasks.TASKS`.

    Randomness: the generator is ``np.random.default_rng(SeedSequence(
    entropy=seed, spawn_key=(crc32(b"tasks.data"), crc32(variant_id))))``,
    where ``variant_id`` is e.g. ``fdr-n3-k4``.  The same (variant, seed)
    therefore gives identical arrays in any process, and two variants
    (even ``fdr-n3-k3`` and ``fdr-n4-k3``) never share a stream.  The
    global numpy state is neither used nor changed.  `n_sequences` and
    `length` are not part of the key: they only set how much is drawn.

    Parameters
    ----------
    task : str
        A key of `tasks.TASKS`: ``fdr``, ``ddr``, ``multiswitch``, ``svb``, ``mvb``.
    k : int
        Alphabet size (the paper's "input dimension"), >= 2.
    steps_back : int, optional
        The delay N for ``fdr`` (required there, 1 <= N < length); must be
        None for the other tasks.
    n_sequences : int, default protocol.N_SEQUENCES
        Number of sequences, >= 1.
    length : int, default protocol.SEQUENCE_LENGTH
        Steps per sequence, >= 1.
    seed : int, default protocol.DATA_SEED
        Data seed, >= 0.

    Returns
    -------
    TaskData
        With read-only arrays of shape ``(n_sequences, length)``.

    Raises
    ------
    ValueError
        For an unknown task, k < 2, a missing, superfluous or out-of-range
        steps_back, n_sequences or length < 1, a negative seed, or any of
        these given as a bool, float or other non-int.
    """
    variant = Variant(task, k, steps_back)
    n_sequences = check_number("n_sequences", n_sequences, int, minimum=1)
    length = check_number("length", length, int, minimum=1)
    seed = check_number("seed", seed, int, minimum=0)
    variant.check_length(length)
    inputs = _data_rng(variant, seed).integers(0, variant.k, size=(n_sequences, length),
                                               dtype=np.int64)        # (n, T)
    targets, mask = TASKS[variant.task](inputs, variant.k, variant.steps_back)
    return TaskData(variant, n_sequences, length, seed, inputs, targets, mask)


def split_sizes(n):
    """Train, validation and test sizes for `n` sequences, by ``protocol.SPLIT``.

    For ``n = sum(SPLIT)`` (64) these are exactly SPLIT (36, 12, 16).  For
    other n the train and validation shares are scaled, ``n * 36 / 64`` and
    ``n * 12 / 64``, each rounded half up, and test gets the rest.

    Parameters
    ----------
    n : int
        Number of sequences.

    Returns
    -------
    tuple of int
        (train, validation, test).

    Raises
    ------
    ValueError
        If some part would be empty (n < 4).
    """
    n = check_number("n_sequences", n, int, minimum=1)
    total = sum(SPLIT)
    # Integer "round half up" of n * share / total; Python's round() would round half to even.
    head = tuple((2 * n * share + total) // (2 * total) for share in SPLIT[:-1])
    sizes = head + (n - sum(head),)
    if min(sizes) < 1:
        raise ValueError(f"cannot split {n} sequences in the proportions {SPLIT}: the parts "
                         f"would have {sizes} sequences; each needs at least 1")
    return sizes


def split(data, validation_rng=None):
    """Split a data set into train, validation and test sets (docs/protocol.md §1).

    Consecutive blocks of sequences in the proportions of ``protocol.SPLIT``:
    for 64 sequences, 0-35 train, 36-47 validation (early stopping), 48-63
    test.  Other sizes are split proportionally as in `split_sizes`.

    With `validation_rng`, the training and validation sequences are instead
    drawn at random from the first ``train + validation`` sequences, as
    PyBrain's ``trainUntilConvergence`` splits its data set
    (``SequentialDataSet.splitWithProportion``): a random subset of ``train``
    of them for training, the others for validation, each kept in its
    original order.  The test block stays the last one.

    Parameters
    ----------
    data : TaskData
    validation_rng : numpy.random.Generator, optional
        Draws the training subset; None for the fixed blocks.

    Returns
    -------
    (train, validation, test) : tuple of TaskData
        Each keeps `data`'s parameters; its ``rows`` say which sequences of
        the parent it holds.

    Raises
    ------
    ValueError
        If `data` is not a TaskData or has too few sequences for three
        non-empty parts.
    """
    if not isinstance(data, TaskData):
        raise ValueError(f"split needs a TaskData; got {type(data).__name__}")
    n_train, n_validation, n_test = split_sizes(len(data.rows))
    positions = np.arange(len(data.rows))
    blocks = [positions[:n_train], positions[n_train:n_train + n_validation],
              positions[n_train + n_validation:]]
    if validation_rng is not None:
        pool = positions[:n_train + n_validation]
        chosen = np.zeros(len(pool), dtype=bool)
        chosen[validation_rng.choice(len(pool), size=n_train, replace=False)] = True
        blocks[:2] = [pool[chosen], pool[~chosen]]
    return tuple(_take(data, block) for block in blocks)


def _take(data, positions):
    """The sequences at `positions` (an increasing index array) of `data`."""
    if len(positions) and np.all(np.diff(positions) == 1):
        rows = data.rows[positions[0]:positions[-1] + 1]
    else:
        rows = tuple(data.rows[p] for p in positions)
    return dataclasses.replace(data, inputs=data.inputs[positions],
                               targets=data.targets[positions], mask=data.mask[positions],
                               rows=rows)
