"""The paper's figures, drawn with matplotlib from numbers that are saved beside them.

Three modules, in the order a figure is made: `~reproduce.analysis.figures.data` (what is
shown: a trained network's recorded activity, the task patterns' variants),
`~reproduce.analysis.figures.drawing` (matplotlib figures of them) and
`~reproduce.analysis.figures.io` (PNG, PDF, NPZ and CSV files, and reading them back)::

    from reproduce.analysis.figures import activity_of, load_activity, save_activity

    activity = activity_of(config, params)                 # record a trained network
    paths = save_activity(activity, "results/figures", "figure6")
    activity = load_activity("results/figures/figure6.npz")
"""
from reproduce.analysis.figures.data import (
                                    PATTERN_FIGURES,
                                    Activity,
                                    activity_columns,
                                    activity_of,
                                    pattern_variant,
)
from reproduce.analysis.figures.drawing import draw_activity, draw_pattern
from reproduce.analysis.figures.io import (
                                    load_activity,
                                    load_figure_data,
                                    save_activity,
                                    save_pattern,
)

__all__ = ["PATTERN_FIGURES", "Activity", "activity_columns", "activity_of", "draw_activity",
           "draw_pattern", "load_activity", "load_figure_data", "pattern_variant",
           "save_activity", "save_pattern"]
