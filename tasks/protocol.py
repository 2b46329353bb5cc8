"""The protocol's task and data constants (docs/protocol.md §1), in one place.

The network and training constants are in ``pybrain_ext.protocol``, those of
the grid, Table I and the figures in ``reproduce.experiment.protocol``.  Values marked
[choice] are ours, not the paper's.
"""

SEQUENCE_LENGTH = 20          # T, steps per sequence
N_SEQUENCES = 64              # sequences per task variant
SPLIT = (36, 12, 16)          # train / validation / test sequences, in that order
DATA_SEED = 0                 # [choice] one fixed data set per task variant

# The Table I rows: task -> parameter values, in the paper's row order.
FDR_STEPS_BACK = (3, 4)
VARIANT_K = {
    "fdr": (3, 4, 5),
    "ddr": (3, 4, 5),
    "multiswitch": (2, 3, 4),
    "svb": (3, 4, 5, 6, 7),
    "mvb": (2, 3, 4),
}
