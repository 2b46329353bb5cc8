"""The protocol's network and training constants (docs/protocol.md §2-3), in one place.

The cell types themselves are the registry ``pybrain_ext.batched.cells.CELL_TYPES``;
task constants are in ``tasks.protocol``, those of the grid, Table I and the
figures in ``reproduce.experiment.protocol``.  This module imports nothing.  Values
marked [choice] are ours, not the paper's.
"""

# --- §2 Networks ----------------------------------------------------------------
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
