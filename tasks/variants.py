"""Task variants: one (task, k, steps_back) triple, i.e. one Table I row.

A `Variant` has a stable string id (``fdr-n3-k4``, ``ddr-k3``, ...) that
names its data set in configs and the results store and seeds its random
stream (see `tasks.generate`), and the input and output sizes of its networks
(``indim``, ``outdim``).  A data set (`tasks.TaskData`) carries its variant.
"""
import re
from dataclasses import dataclass
from typing import Optional

from pybrain_ext.checks import set_checked
from tasks.protocol import FDR_STEPS_BACK, VARIANT_K
from tasks.registry import TASKS

# The Table I values of steps_back for the tasks that take it.
_TABLE_STEPS_BACK = {"fdr": FDR_STEPS_BACK}

_ID_PATTERN = re.compile(r"(?P<task>[a-z][a-z0-9_]*)-(?:n(?P<steps_back>[0-9]+)-)?k(?P<k>[0-9]+)")


@dataclass(frozen=True)
class Variant:
    """One task variant; validated on construction.

    Parameters
    ----------
    task : str
        A key of `tasks.TASKS`.
    k : int
        Alphabet size (the paper's "input dimension"), at least the task's
        ``min_k`` (2 for the five paper tasks).
    steps_back : int or None
        The delay N >= 1 for tasks that need it (``fdr``); must be None for
        the others.
    """

    task: str
    k: int
    steps_back: Optional[int] = None

    def __post_init__(self):
        if not isinstance(self.task, str) or self.task not in TASKS:
            raise ValueError(f"task must be one of {', '.join(map(repr, TASKS))}; "
                             f"got {self.task!r}")
        spec = TASKS[self.task]
        # Normalise numpy ints to int so ids and equality do not depend on where k came from.
        set_checked(self, "k", int, minimum=spec.min_k)
        if spec.needs_steps_back:
            if self.steps_back is None:
                raise ValueError(f"task {self.task!r} needs steps_back (an int >= 1); got None")
            set_checked(self, "steps_back", int, minimum=1)
        elif self.steps_back is not None:
            raise ValueError(f"task {self.task!r} takes no steps_back (must be None); "
                             f"got {self.steps_back!r}")

    def check_length(self, length):
        """Raise ValueError unless sequences of `length` steps give this variant targets.

        A delay (``steps_back``) of the sequence length or more would mask
        every step: a data set with nothing to learn or test.
        """
        if self.steps_back is not None and self.steps_back >= length:
            raise ValueError(f"steps_back must be < the sequence length {length}; "
                             f"got {self.steps_back}")

    @property
    def id(self):
        """Stable string id: ``<task>-n<steps_back>-k<k>`` or ``<task>-k<k>``."""
        if self.steps_back is None:
            return f"{self.task}-k{self.k}"
        return f"{self.task}-n{self.steps_back}-k{self.k}"

    @property
    def indim(self):
        """Input (one-hot) dimension, k."""
        return self.k

    @property
    def outdim(self):
        """Number of target classes."""
        return TASKS[self.task].outdim(self.k)


def variants():
    """The 20 task variants of Table I, in the paper's row order.

    FDR N=3 k=3,4,5; FDR N=4 k=3,4,5; DDR k=3,4,5; Multiswitch k=2,3,4;
    SVB k=3..7; MVB k=2,3,4 -- read from ``protocol.VARIANT_K`` and
    ``protocol.FDR_STEPS_BACK``.

    Returns
    -------
    tuple of Variant
    """
    return tuple(Variant(task, k, steps_back)
                 for task, ks in VARIANT_K.items()
                 for steps_back in _TABLE_STEPS_BACK.get(task, (None,))
                 for k in ks)


def parse_variant(variant_id):
    """The `Variant` whose `id` is `variant_id`.

    Any well-formed id of a registered task parses (``fdr-n2-k3``, the
    worked example's variant, too), not only the Table I ones; ids must be
    in canonical form (no leading zeros, no spaces).

    Parameters
    ----------
    variant_id : str
        E.g. ``"fdr-n3-k4"``, ``"ddr-k3"``, ``"multiswitch-k2"``.

    Returns
    -------
    Variant

    Raises
    ------
    ValueError
        If the id is malformed or names an invalid variant; the message lists
        the Table I ids.
    """
    allowed = ", ".join(v.id for v in variants())
    match = _ID_PATTERN.fullmatch(variant_id) if isinstance(variant_id, str) else None
    if match is None:
        raise ValueError(f"unknown variant id {variant_id!r}; expected <task>-k<k> or "
                         f"<task>-n<steps_back>-k<k>, e.g. one of the Table I ids: {allowed}")
    steps_back = match["steps_back"]
    try:
        variant = Variant(match["task"], int(match["k"]),
                          None if steps_back is None else int(steps_back))
    except ValueError as error:
        raise ValueError(f"unknown variant id {variant_id!r} ({error}); "
                         f"the Table I ids are: {allowed}") from None
    if variant.id != variant_id:
        raise ValueError(f"variant id {variant_id!r} is not in canonical form "
                         f"(did you mean {variant.id!r}?)")
    return variant
