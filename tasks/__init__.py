"""The paper's five memory tasks: pure generators of (inputs, targets, mask) arrays.

Fixed Delay Recall (``fdr``), Dynamic Delay Recall (``ddr``), Multiswitch,
Single and Multiple Variable Binding (``svb``, ``mvb``) -- paper Section III,
rules pinned in docs/protocol.md §1.  Typical use::

    import tasks

    for v in tasks.variants():                        # the 20 Table I rows
        data = tasks.generate(v.task, v.k, v.steps_back)  # 64 x 20 steps, protocol.DATA_SEED
        train, validation, test = tasks.split(data)   # 36 / 12 / 16 sequences
        dataset = tasks.to_pybrain(train)             # a PyBrain ImportanceDataSet

    data = tasks.generate("fdr", k=3, steps_back=4, seed=1)
    data.inputs, data.targets, data.mask              # read-only (n, T) arrays
    data.variant                                      # Variant(task='fdr', k=3, steps_back=4)
    data.variant.id, data.variant.outdim              # 'fdr-n4-k3', 3
    tasks.parse_variant("fdr-n4-k3")                  # the same Variant
    tasks.TASKS["ddr"](x, k=3)                        # one task's rule on any symbol array

Each task is one module with one pure rule function, listed in `TASKS`;
adding a task means adding a module and a registry entry (see
`tasks.registry`).  Of the project this package imports only the number
check ``pybrain_ext.checks``; the PyBrain conversion loads the rest of
``pybrain_ext`` only when called.
"""
from tasks.data import TaskData, generate, split, split_sizes
from tasks.pybrain import from_pybrain, to_pybrain
from tasks.registry import TASKS, TaskSpec
from tasks.variants import Variant, parse_variant, variants

__all__ = ["TASKS", "TaskData", "TaskSpec", "Variant", "from_pybrain", "generate",
           "parse_variant", "split", "split_sizes", "to_pybrain", "variants"]
