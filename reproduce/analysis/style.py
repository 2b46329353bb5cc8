"""What every table and figure of the analyses shares: the paper's order of tasks and
cells, their titles, the cell colours, the statistics' titles and what "solved" means.

    ordered_cells(["tanh", "gru"])      # ['gru', 'tanh']: Table I's column order
    CELL_COLOURS["lstm"]                # 'tab:blue' in every plot

A cell's title and colour are facts of its entry in the cell registry
(``pybrain_ext.batched.cells.CELL_TYPES``: ``label``, ``colour``); the tables
here are read from it.
"""
import tasks
from pybrain_ext.batched.cells import CELL_TYPES
from reproduce.experiment.protocol import TABLE1_CELL_ORDER

STATISTIC_TITLES = {"min_error": "Minimum test set error", "mean_error": "Mean test set error",
                    "std_error": "Std test set error"}
# Table I's labels.
TASK_TITLES = {"fdr": "Fixed Delay Recall", "ddr": "Dynamic Delay Recall",
               "multiswitch": "Multiswitch", "svb": "Single Variable Binding",
               "mvb": "Multiple Variable Binding"}
CELL_TITLES = {name: cell.label for name, cell in CELL_TYPES.items()}
CELL_COLOURS = {name: cell.colour for name, cell in CELL_TYPES.items()}
# A test error that Table I prints as 0.0: "solved perfectly" (claims, mechanisms).
PERFECT_POINTS = 0.05


def ordered_tasks(names):
    """The task names among `names`, in the task registry's (Table I's) order."""
    present = set(names)
    return [t for t in tasks.TASKS if t in present]


def ordered_cells(names):
    """The cell types among `names` in Table I's column order, any others after, sorted."""
    present = set(names)
    return ([c for c in TABLE1_CELL_ORDER if c in present]
            + sorted(present - set(TABLE1_CELL_ORDER)))
