"""The protocol's grid, Table I and figure constants (docs/protocol.md §5-6), in one place.

Task constants are in ``tasks.protocol``, network and training constants in
``pybrain_ext.protocol``.  Values marked [choice] are ours, not the paper's.
"""

# --- §5 The grid ------------------------------------------------------------------
# The paper's five cell types (each one an entry of pybrain_ext.batched.cells.CELL_TYPES; a
# cell type added there can be run at once, and is swept once it is named here).
GRID_CELLS = ("lstm", "gru", "tanh", "sigmoid", "relu")
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
FIGURE6_TEST_ERROR = 2.5     # % the paper reports for its Figure 6 network (Section IV-B)
