"""The experimental protocol's constants, in one place.

Every number here comes from the paper (``shared/paper/paper.txt``) or from the
choices pinned in ``shared/spec/PROTOCOL.md``; the section of PROTOCOL.md is
named beside each group.  Everything else in the project reads them from here,
so changing a choice means changing one line.  (This module lives in ``tasks``
because ``tasks`` is the package every other one may import; it imports
nothing.)  Values marked [choice] are ours, not the paper's.
"""

# --- §1 Tasks and data --------------------------------------------------------
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

# --- §2 Networks ----------------------------------------------------------------
CELLS = ("lstm", "gru", "tanh", "sigmoid", "relu")
SKIPS = ("none", "in", "out", "both")
INIT_VARIANCE = 0.3           # every parameter ~ N(0, 0.3), biases and GRU matrices too

# --- §3 Training (PyBrain's RPropMinusTrainer, full batch) ----------------------
ETAPLUS = 1.2
ETAMINUS = 0.5
DELTAMIN = 1e-6
DELTAMAX = 5.0
CONTINUE_EPOCHS = 10          # trainUntilConvergence's patience
CONVERGENCE_DECIMALS = 10     # trainUntilConvergence's convergence_threshold
MAX_EPOCHS = 1000             # [choice] cap on trainUntilConvergence's maxEpochs

# --- §5 The grid ------------------------------------------------------------------
GRID_LAYERS = (1, 2, 3)
GRID_WIDTHS = (5, 10, 15, 25, 50)
GRID_DELTA0 = (0.1, 0.03, 0.01)
GRID_SEEDS = (0, 1, 2)        # [choice] "several" seeds in the paper

# Table I's statistics over all of one (task variant, cell type)'s test errors.
TABLE1_CELL_ORDER = ("gru", "lstm", "sigmoid", "relu", "tanh")  # the paper's column order
TABLE1_STD_DDOF = 0           # [choice] population std (numpy's default); the paper does not say
TABLE1_AGREEMENT_POINTS = 5.0  # [choice] a statistic "agrees" within this many percentage points
TABLE1_RANK_STATISTIC = "mean_error"  # [choice] the statistic whose ranking of cells is compared

# --- §6 Figure 6 --------------------------------------------------------------------
FIGURE6 = dict(task="multiswitch", k=3, cell="lstm", layers=2, hidden=5, skip="both")
