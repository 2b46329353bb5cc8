"""The task registry: task name -> `TaskSpec`.

Configs, variant ids and result records store a task by its name here.  To
add a sixth task, write ``tasks/<name>.py`` with its pure rule function and
add one `TaskSpec` entry to `TASKS`; `generate`, `to_pybrain` and the
parametrized tests pick it up from there.
"""
from dataclasses import dataclass
from typing import Callable, Optional

from tasks.ddr import ddr
from tasks.fdr import fdr
from tasks.multiswitch import multiswitch
from tasks.mvb import mvb
from tasks.svb import svb


@dataclass(frozen=True)
class TaskSpec:
    """What the rest of the code needs to know about one task.

    Attributes
    ----------
    name : str
        The registry key (lower case, no hyphen: it is part of variant ids).
    rule : callable
        ``rule(x, k)`` or, if `needs_steps_back`, ``rule(x, k, steps_back)``
        -> ``(targets, mask)``, as documented in the task's module.
    paper : str
        Where the paper defines the task.
    fixed_outdim : int or None
        Number of target classes if it does not depend on k; None means k.
    needs_steps_back : bool
        Whether the task takes (and requires) the `steps_back` parameter.
    min_k : int
        Smallest alphabet size that makes the task meaningful.
    """

    name: str
    rule: Callable
    paper: str
    fixed_outdim: Optional[int] = None
    needs_steps_back: bool = False
    min_k: int = 2

    def outdim(self, k):
        """Number of target classes (softmax outputs) for alphabet size `k`."""
        return k if self.fixed_outdim is None else self.fixed_outdim

    def __call__(self, x, k, steps_back=None):
        """Apply the rule: ``(targets, mask)`` for inputs `x`; see the task's module."""
        if self.needs_steps_back:
            return self.rule(x, k, steps_back)
        if steps_back is not None:
            raise ValueError(f"task {self.name!r} takes no steps_back; got {steps_back!r}")
        return self.rule(x, k)


# In the paper's (Table I) order.
TASKS = {
    "fdr": TaskSpec("fdr", fdr, "Section III, Fixed Delay Recall; Fig. 1",
                    needs_steps_back=True),
    "ddr": TaskSpec("ddr", ddr, "Section III, Dynamic delay recall; Fig. 2"),
    "multiswitch": TaskSpec("multiswitch", multiswitch, "Section III, Multiswitch; Fig. 3",
                            fixed_outdim=2),
    "svb": TaskSpec("svb", svb, "Section III, Single variable binding; Fig. 4"),
    "mvb": TaskSpec("mvb", mvb, "Section III, Multiple variable binding; Fig. 5"),
}
