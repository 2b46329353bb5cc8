"""The claims' uncertainty: a two-stage bootstrap over data sets and configurations, and
binomial intervals of per-run rates.

    sampler = TwoStage(replicate, stratum)          # one entry per unit (configuration)
    for W in sampler.weights(rng, 1000):            # (chunk, units) multiplicities
        values = W @ d / W.sum(axis=1)              # a statistic of each resample
    low, high = interval(all_values)

What was drawn at random in a grid is resampled (STYLE 13): first the data sets
(replicates, with replacement), then, within each drawn replicate and within each
stratum that the grid fixed (task variant, and cell where a unit has one), the
units (configurations with their seed), with replacement.  A replicate drawn
twice is resampled twice, independently.  With one replicate the first stage is
void: the interval is conditional on that data set.

Existence claims ("some network solves it", "none does") rest on counts of rare
runs, where a bootstrap says nothing (a resample of no successes has none).
There the per-run rate gets a Clopper-Pearson interval, and `grid_chance` turns
it into the chance that a grid of m runs shows at least one.
"""
import numpy as np
from scipy import stats

CONFIDENCE = 0.95
RESAMPLES = 1000       # bootstrap resamples per claim
CHUNK = 100            # resamples held in memory at once (CHUNK x units weights)


class TwoStage:
    """Multiplicities of units in two-stage bootstrap resamples.

    Parameters
    ----------
    replicate : array_like, shape (units,)
        The replicate (data set) of each unit.
    stratum : array_like, shape (units,)
        What the grid fixed for each unit (e.g. its variant): units are drawn
        within their (replicate, stratum) group.
    """

    def __init__(self, replicate, stratum):
        replicate = np.asarray(replicate)
        codes = np.unique(np.asarray(stratum, dtype=object).astype(str), return_inverse=True)[1]
        self.n = len(replicate)
        self.replicates = np.unique(replicate)
        self.groups = []            # per replicate: the index arrays of its strata
        for r in self.replicates:
            mine = np.flatnonzero(replicate == r)
            self.groups.append([mine[codes[mine] == s] for s in np.unique(codes[mine])])

    @property
    def conditional(self):
        """True when there is one data set only (the first stage is void)."""
        return len(self.replicates) <= 1

    def weights(self, rng, resamples=RESAMPLES, chunk=CHUNK):
        """Yield arrays ``(c, units)`` of multiplicities, ``resamples`` rows in all."""
        R = len(self.replicates)
        done = 0
        while done < resamples:
            size = min(chunk, resamples - done)
            done += size
            if R > 1:
                copies = rng.multinomial(R, np.full(R, 1.0 / R), size=size)   # (size, R)
            else:
                copies = np.ones((size, 1), dtype=int)
            W = np.zeros((size, self.n))
            rows = np.arange(size)[:, None]
            for j, groups in enumerate(self.groups):
                for copy in range(int(copies[:, j].max())):
                    active = (copies[:, j] > copy)[:, None]                     # (size, 1)
                    for index in groups:
                        m = len(index)
                        draws = rng.integers(0, m, size=(size, m))
                        counts = np.bincount((rows * m + draws).ravel(),
                                             minlength=size * m).reshape(size, m)
                        W[:, index] += counts * active
            yield W


def ones(n):
    """The weights of the data themselves: every unit once, ``(1, n)``."""
    return np.ones((1, n))


def interval(values, confidence=CONFIDENCE):
    """The percentile interval of bootstrap `values` (NaN where a resample had none)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return np.nan, np.nan
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def clopper_pearson(successes, trials, confidence=CONFIDENCE):
    """The exact (Clopper-Pearson) interval of a binomial rate, ``(low, high)``."""
    successes, trials = np.asarray(successes, float), np.asarray(trials, float)
    alpha = 1 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(successes > 0,
                       stats.beta.ppf(alpha / 2, successes, trials - successes + 1), 0.0)
        high = np.where(successes < trials,
                        stats.beta.ppf(1 - alpha / 2, successes + 1, trials - successes), 1.0)
    return low, high


def grid_chance(rate, runs):
    """The chance that `runs` independent runs of per-run success `rate` hold at least one
    success: ``1 - (1 - rate) ** runs``."""
    return 1.0 - (1.0 - np.asarray(rate, float)) ** runs
