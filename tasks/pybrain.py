"""Conversion of task data to and from PyBrain's ``ImportanceDataSet``.

PyBrain (``pybrain3``) only imports on today's numpy/scipy after
``pybrain_ext.compat.install()``; both are imported inside the functions
here, so that ``import tasks`` needs neither.
"""
import numpy as np


def _importance_dataset_class():
    from pybrain_ext import compat  # lazily: tasks imports nothing of ours at import time
    compat.install()
    from pybrain3.datasets import ImportanceDataSet
    return ImportanceDataSet


def to_pybrain(data, untargeted="masked"):
    """The data set as a PyBrain ``ImportanceDataSet``, one sequence per row.

    Inputs and targets are one-hot (``data.variant.indim`` and
    ``data.variant.outdim`` wide); the importance of a step is its mask repeated over the output
    dimensions (1.0 or 0.0), and a masked step's target is the zero vector,
    so masked steps add nothing to PyBrain's error or gradient (docs/protocol.md §1).
    With ``untargeted="zero_target"`` every step has importance 1, so the
    steps without a target count with the zero target vector, as in a plain
    ``SequentialDataSet`` (``pybrain_ext.rprop.UNTARGETED_STEPS``); with
    ``"class0_target"`` they count with the one-hot target of class 0 (docs/protocol.md §7).

    Parameters
    ----------
    data : TaskData
    untargeted : {"masked", "zero_target", "class0_target"}

    Returns
    -------
    pybrain3.datasets.ImportanceDataSet
        ``data.inputs.shape[0]`` sequences of ``data.length`` samples.
    """
    ImportanceDataSet = _importance_dataset_class()
    from pybrain_ext.rprop import check_untargeted
    check_untargeted(untargeted)
    indim, outdim = data.variant.indim, data.variant.outdim
    dataset = ImportanceDataSet(indim, outdim)
    in_codes, out_codes = np.eye(indim), np.eye(outdim)
    for inputs, targets, mask in zip(data.inputs, data.targets, data.mask):  # each (T,)
        dataset.newSequence()
        defined = mask[:, None].astype(float)                                   # (T, 1)
        importance = np.repeat(defined, outdim, axis=1) if untargeted == "masked" \
            else np.ones((len(mask), outdim))                                   # (T, outdim)
        one_hot_inputs = in_codes[inputs]                                       # (T, indim)
        if untargeted == "class0_target":
            one_hot_targets = out_codes[np.where(mask, targets, 0)]            # (T, outdim)
        else:
            one_hot_targets = out_codes[targets] * defined                      # (T, outdim)
        for sample in zip(one_hot_inputs, one_hot_targets, importance):
            dataset.appendLinked(*sample)
    return dataset


def _decode_one_hot(codes, name, where=None):
    """Class indices of the one-hot rows of `codes` (rows not in `where` must be zero)."""
    where = np.ones(len(codes), dtype=bool) if where is None else where
    hot = codes[where]
    if not (np.all((hot == 0) | (hot == 1)) and np.all(hot.sum(axis=1) == 1)):
        raise ValueError(f"{name} rows must be one-hot")
    if np.any(codes[~where] != 0):
        raise ValueError(f"{name} rows of masked steps must be zero vectors")
    return np.where(where, codes.argmax(axis=1), 0)


def from_pybrain(dataset):
    """Inputs, targets and mask back from an ``ImportanceDataSet`` made by `to_pybrain`.

    The inverse of `to_pybrain` (used by the tests): reads each sequence with
    ``dataset.getSequence(i)`` and decodes the one-hot rows, checking that
    they are one-hot, that importance is 0/1 and equal over the output
    dimensions, and that masked targets are zero vectors.

    Parameters
    ----------
    dataset : pybrain3.datasets.ImportanceDataSet
        Sequences all of the same length T.

    Returns
    -------
    inputs, targets : ndarray of int64, shape (n, T)
    mask : ndarray of bool, shape (n, T)

    Raises
    ------
    ValueError
        If the data set does not have that form.
    """
    _importance_dataset_class()  # the compat layer, for getSequence
    rows = []
    for index in range(dataset.getNumSequences()):
        inputs, targets, importance = dataset.getSequence(index)  # (T, indim), (T, outdim) x2
        if not (np.all((importance == 0) | (importance == 1))
                and np.all(importance == importance[:, :1])):
            raise ValueError("importance must be 0 or 1, the same over the output dimensions")
        mask = importance[:, 0] == 1
        rows.append((_decode_one_hot(inputs, "input"),
                     _decode_one_hot(targets, "target", mask), mask))
    if len({len(mask) for _, _, mask in rows}) != 1:
        raise ValueError("sequences must all have the same length")
    inputs, targets, mask = (np.array(column) for column in zip(*rows))
    return inputs.astype(np.int64), targets.astype(np.int64), mask
