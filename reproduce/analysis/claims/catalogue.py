"""The paper's claims, each with the sentence it encodes and the rule that decides it.

Every testable statement of the abstract, the introduction and Sections III-V is one
`Claim`: ``quote`` is the paper's sentence (or the part of it the claim tests),
``statement`` what exactly is tested, ``rule`` how (`reproduce.analysis.claims.rules`).
"""
from dataclasses import dataclass

from reproduce.analysis.claims.rules import (
    CELLS,
    GATED,
    SIMPLE,
    Above,
    AllOf,
    AnyOf,
    Below,
    Categorical,
    Contrast,
    EverySeed,
    Exists,
    Harder,
    Independent,
    Mechanism,
    NoAdvantage,
    Paired,
    SeedShare,
    TableCount,
    Within,
    best_mean,
    best_min,
    between_both,
    tasks_,
    variants,
    worst_both,
)
from reproduce.experiment.protocol import FIGURE6, FIGURE6_TEST_ERROR

SMALL_WIDTHS = 10            # "smaller hidden layer sizes": the grid's 5 and 10 units
SRN_RANGE = (40.0, 50.0)     # "error rates between 40-50%"
MS4_FLOOR = 30.0             # "no network achieving an error rate below 30%"
CORRELATION = 0.9            # a cell state "tracks" a switch: |correlation| above this


@dataclass(frozen=True)
class Claim:
    """One statement of the paper, made precise.

    Attributes
    ----------
    id : str
    source : str
        Where the paper says it (section, task).
    quote : str
        The paper's sentence, verbatim (or the part of it tested).
    statement : str
        What is tested, in one line.
    rule
        A rule of `reproduce.analysis.claims.rules`.
    """
    id: str
    source: str
    quote: str
    statement: str
    rule: object


FDR_BEST = ("For the fixed delay recall task, simple recurrent networks containing tanh units "
            "provided the best performing networks for all permutations of input dimension "
            "and memory span.")
FDR_WORST = ("RNNs with logistic sigmoid units were the worst performing on both measures, "
             "with the two gated cell types giving intermediate performance.")
DDR_SLIGHT = ("The gated units perform slightly better than simple recurrent networks as the "
              "input dimension is increased to 4 and 5, however while they close the "
              "performance gap on this task, they are not able to learn to perform "
              "categorically better than the SRNs.")
MS3 = ("No network was able to perfectly solve the 3 switch problem, although an LSTM "
       "network with 2 layers of five neurons and full skip connections managed to achieve "
       "2.5% error.")
MS34 = ("The differential between gated and non-gated cells decreased, driven by a decrease "
        "in performance of the gated-cell networks (the SRNs performed similarly on both 3 "
        "and 4 switch tasks with error rates between 40-50%).")
SVB_GRU = ("As for the gated units, GRUs outperformed LSTM networks, and were the only "
           "networks able to perfectly solve the tasks with input dimension 4 and 5.")
MVB2 = ("However the tanh RNN came very close to a perfect solution and had a lower mean "
        "error that gated cell networks for smaller hidden layer sizes.")
ABSTRACT_II = ("(ii) the reliability of stochastic gradient descent decreases as network "
               "complexity increases")
ABSTRACT_IV = ("Task performance is found to be surprisingly independent of network depth "
               "(number of layers) and connection architecture.")
DIFFICULTY = ("The difficulty of the task was modified by adjusting the range of possible "
              "input values.")
DECLINE = ("Given the rapid decline in performance of all networks on the multiswitch and SVB "
           "tasks, it is perhaps unsurprising that no network was able to solve the 3 or 4 "
           "variable task.")
GRU_MECHANISM = ("For the GRU network that solved the single variable binding task, the "
                 "interaction between update gate and candidate inputs was found to be the key "
                 "mechanism by which information was either maintained or updated according to "
                 "the input. The role of the reset gate was less clear.")


def _no_skip(runs):
    return runs["skip"] == "none"


def _deep(runs):
    return runs["layers"] >= 2


def _small(runs):
    return runs["hidden"] <= SMALL_WIDTHS


def _figure6_architecture(runs):
    return ((runs["layers"] == FIGURE6["layers"]) & (runs["hidden"] == FIGURE6["hidden"])
            & (runs["skip"] == FIGURE6["skip"]))


def _clamp_change(name):
    return lambda rows: rows[f"error_{name}"] - rows["error"]


def _median(name, what):
    return lambda rows: f"median {what} {_clamp_change(name)(rows).median():+.2f} points"


CLAIMS = (
    # --- Fixed Delay Recall (Section IV-B) ---------------------------------------------
    Claim("fdr-tanh-best-min", "IV-B, FDR", FDR_BEST,
          "FDR: tanh ranks best on the minimum in all 6 rows (ties of the printed minimum "
          "broken by the share of runs at or below 1 %)",
          TableCount(tasks_("fdr"), best_min("tanh"), "tanh best minimum")),
    Claim("fdr-relu-second-min", "IV-B, FDR",
          "On this measure, standard recurrent networks (RNNs) comprised of rectified linear "
          "units were second best in all cases except one.",
          "FDR: ReLU ranks ahead of GRU, LSTM and sigmoid on the minimum in at least 5 of 6 "
          "rows (ties broken as above)",
          TableCount(tasks_("fdr"), best_min("relu", ("gru", "lstm", "sigmoid", "relu")),
                     "relu best minimum after tanh", needed=5)),
    Claim("fdr-tanh-best-mean", "IV-B, FDR",
          "RNNs with tanh units were also the most consistently performing networks (with "
          "lowest mean error).",
          "FDR: tanh has the lowest mean error in all 6 rows",
          TableCount(tasks_("fdr"), best_mean("tanh"), "tanh lowest mean")),
    Claim("fdr-sigmoid-worst", "IV-B, FDR", FDR_WORST,
          "FDR: sigmoid ranks last on the minimum (ties broken as above) and on the mean in "
          "all 6 rows", TableCount(tasks_("fdr"), worst_both("sigmoid"), "sigmoid worst")),
    Claim("fdr-gated-between", "IV-B, FDR", FDR_WORST,
          "FDR: GRU and LSTM lie between tanh and sigmoid on both measures, the minimum "
          "(ranked as above) and the mean, in all 6 rows",
          TableCount(tasks_("fdr"), between_both(GATED, "tanh", "sigmoid"),
                     "gated between tanh and sigmoid on min and mean")),
    Claim("fdr-one-layer-enough", "III, FDR",
          "This implies memory capacity will be limited by the size of the hidden layer and "
          "that it should not require more than one layer to learn the task.",
          "FDR: one layer is not materially worse than two or three (no skips, matched): "
          "1 - 2 and 1 - 3 layers below the effect size",
          AllOf(tuple(Paired(tasks_("fdr"), a=(1,), b=(deep,), axis="layers",
                             test=Below("effect"), where=_no_skip) for deep in (2, 3)))),
    # --- Dynamic Delay Recall ----------------------------------------------------------
    Claim("ddr-tanh-advantage-gone", "IV-B, FDR/DDR",
          "This advantage disappears when the recall task is made conditional on the input "
          "(dynamic delay).",
          "DDR: tanh is not the best cell (some cell is clearly better, matched), and tanh's "
          "advantage over the mean of the other four shrinks from FDR to DDR (difference in "
          "differences below 0)",
          AllOf((AnyOf(tuple(Paired(tasks_("ddr"), a=("tanh",), b=(c,), test=Above(0.0))
                             for c in ("gru", "lstm", "sigmoid", "relu"))),
                 Contrast(((Paired(tasks_("ddr"), a=("gru", "lstm", "sigmoid", "relu"),
                                   b=("tanh",)), 1.0),
                           (Paired(tasks_("fdr"), a=("gru", "lstm", "sigmoid", "relu"),
                                   b=("tanh",)), -1.0)), Below(0.0),
                          "tanh's advantage on DDR - on FDR")))),
    Claim("ddr-lstm-no-advantage", "III and IV-B, DDR",
          "There is also no evidence to show that the LSTM\u2019s ability to suppress output "
          "gives it an advantage over the GRU.",
          "DDR: LSTM - GRU (matched) does not lie below 0, and any LSTM advantage it allows "
          "is smaller than the effect size",
          Paired(tasks_("ddr"), a=("lstm",), b=("gru",), test=NoAdvantage())),
    Claim("ddr45-gated-slightly-better", "IV-B, DDR", DDR_SLIGHT,
          "DDR k=4 and k=5: gated networks are better than simple ones (matched)",
          Paired(variants("ddr", 4, 5), a=GATED, b=SIMPLE)),
    Claim("ddr45-not-categorical", "IV-B, DDR", DDR_SLIGHT,
          "DDR k=4 and k=5: a grid of the paper's size shows no GRU or LSTM network that "
          "solves them perfectly",
          Exists(variants("ddr", 4, 5), GATED, shows=False)),
    # --- Multiswitch --------------------------------------------------------------------
    Claim("ms2-gated-solve", "IV-B, Multiswitch",
          "Results for the multiswitch task show that gated cell networks are able to solve "
          "the 2 switch problem perfectly, whereas SRNs are not.",
          "Multiswitch k=2: a grid of the paper's size shows GRU and LSTM networks that solve "
          "it perfectly, and no tanh, sigmoid or ReLU network that does",
          AllOf((Exists(variants("multiswitch", 2), GATED, shows=True),
                 Exists(variants("multiswitch", 2), SIMPLE, shows=False)))),
    Claim("ms2-init-sensitive", "IV-B, Multiswitch",
          "The discrepancy between minimum and mean error therefore indicates that the "
          "ability of these networks to find a solution is sensitive to the random "
          "initialisation of weight parameters.",
          "Multiswitch k=2: of the configurations where some seed solves, fewer than half "
          "solve with every seed", EverySeed(variants("multiswitch", 2))),
    Claim("ms-no-best-skip", "IV-B, Multiswitch",
          "No specific skip architecture was found to perform consistently better than the "
          "others.",
          "Multiswitch (2-3 layers): no skip scheme beats another consistently (in >= 80 % of "
          "variant x cell strata) or by more than the effect size (matched)",
          Independent(tasks_("multiswitch"), axis="skip", where=_deep)),
    Claim("ms3-none-solves", "IV-B, Multiswitch", MS3,
          "Multiswitch k=3: a grid of the paper's size shows no network that solves it "
          "perfectly", Exists(variants("multiswitch", 3), CELLS, shows=False, per_cell=False)),
    Claim("ms3-figure6-network", "IV-B, Multiswitch", MS3,
          f"Multiswitch k=3: a grid of the paper's size shows an LSTM of Figure 6's "
          f"architecture (2 x 5 units, skip both) at or below {FIGURE6_TEST_ERROR:g} % error",
          Exists(variants("multiswitch", 3), ("lstm",), shows=True,
                 threshold=FIGURE6_TEST_ERROR, where=_figure6_architecture,
                 what="Figure 6's error")),
    Claim("ms3-gated-better", "IV-B, Multiswitch",
          "However the networks with gated units performed consistently better than SRNs on "
          "this task.", "Multiswitch k=3: gated networks are better than simple ones "
          "(matched)", Paired(variants("multiswitch", 3), a=GATED, b=SIMPLE)),
    Claim("ms4-none-below-30", "IV-B, Multiswitch",
          "Performance on the 4 switch task was worse again, with no network achieving an "
          "error rate below 30%.",
          f"Multiswitch k=4: a grid of the paper's size shows no network below "
          f"{MS4_FLOOR:g} % error",
          Exists(variants("multiswitch", 4), CELLS, shows=False, threshold=MS4_FLOOR,
                 strict=True, per_cell=False, what="below the floor")),
    Claim("ms34-advantage-shrinks", "IV-B, Multiswitch", MS34,
          "Multiswitch: the gated cells' advantage over simple ones (simple - gated, matched) "
          "is smaller at k=4 than at k=3",
          Contrast(((Paired(variants("multiswitch", 4), a=SIMPLE, b=GATED), 1.0),
                    (Paired(variants("multiswitch", 3), a=SIMPLE, b=GATED), -1.0)),
                   Below(0.0), "gated advantage at k=4 - at k=3")),
    Claim("ms34-gated-decline", "IV-B, Multiswitch", MS34,
          "Multiswitch: gated networks are worse at k=4 than at k=3 (matched)",
          Paired(variants("multiswitch", 3, 4), a=("multiswitch-k4",), b=("multiswitch-k3",),
                 axis="variant", cells=GATED, test=Above(0.0))),
    Claim("ms34-srn-similar", "IV-B, Multiswitch", MS34,
          "Multiswitch: simple networks' errors at k=4 and k=3 differ by less than the effect "
          "size (matched)",
          Paired(variants("multiswitch", 3, 4), a=("multiswitch-k4",), b=("multiswitch-k3",),
                 axis="variant", cells=SIMPLE, test=Within())),
    Claim("ms34-srn-40-50", "IV-B, Multiswitch", MS34,
          f"Multiswitch k=3 and k=4: each simple cell's mean error lies between "
          f"{SRN_RANGE[0]:g} and {SRN_RANGE[1]:g} %",
          AllOf(tuple(Paired(variants("multiswitch", k), a=(cell,), test=Within(*SRN_RANGE),
                             note=f"k={k}") for k in (3, 4) for cell in SIMPLE))),
    # --- Single Variable Binding ------------------------------------------------------
    Claim("svb-gated-better", "IV-B, SVB",
          "For the SVB task, gated cell networks performed better than SRNs.",
          "SVB: gated networks are better than simple ones (matched)",
          Paired(tasks_("svb"), a=GATED, b=SIMPLE)),
    Claim("svb-simple-similar", "IV-B, SVB",
          "There was no consistent difference in performance between the different types of "
          "non-gated unit in the SRNs.",
          "SVB: no simple cell beats another consistently (in >= 80 % of variants) or by more "
          "than the effect size (matched)",
          Independent(tasks_("svb"), options=(("tanh",), ("sigmoid",), ("relu",)))),
    Claim("svb-gru-beats-lstm", "IV-B, SVB", SVB_GRU,
          "SVB: GRU networks are better than LSTM networks (matched)",
          Paired(tasks_("svb"), a=("gru",), b=("lstm",))),
    Claim("svb-only-gru-solves-4-5", "IV-B, SVB", SVB_GRU,
          "SVB k=4 and k=5: a grid of the paper's size shows GRU networks that solve them "
          "perfectly, and no network of another cell type that does",
          AllOf((Exists(variants("svb", 4, 5), ("gru",), shows=True),
                 Exists(variants("svb", 4, 5), ("lstm",) + SIMPLE, shows=False)))),
    # --- Multiple Variable Binding ----------------------------------------------------
    Claim("mvb2-gated-solve-tanh-close", "IV-B, MVB",
          "Finally, for the multiple variable binding task, perfect solutions to the 2 "
          "variable task were found by GRU and LSTM networks. However the tanh RNN came very "
          "close to a perfect solution",
          "MVB k=2: a grid of the paper's size shows GRU and LSTM networks that solve it "
          "perfectly and a tanh network within 1 %",
          AllOf((Exists(variants("mvb", 2), GATED, shows=True),
                 Exists(variants("mvb", 2), ("tanh",), shows=True, threshold=1.0,
                        what="very close")))),
    Claim("mvb2-tanh-lower-mean-small", "IV-B, MVB", MVB2,
          f"MVB k=2, widths <= {SMALL_WIDTHS}: tanh's error is lower than GRU's and than "
          "LSTM's (each matched)",
          AllOf(tuple(Paired(variants("mvb", 2), a=("tanh",), b=(c,), where=_small)
                      for c in GATED))),
    Claim("mvb34-none-solves", "IV-B, MVB", DECLINE,
          "MVB k=3 and k=4: a grid of the paper's size shows no network that solves them "
          "perfectly", Exists(variants("mvb", 3, 4), CELLS, shows=False, per_cell=False)),
    # --- Abstract and introduction ----------------------------------------------------
    Claim("abstract-i-gated-less-reliable-fdr", "Abstract (i)",
          "Results show that (i) both types of gated unit perform less reliably than standard "
          "RNN units on tasks testing fixed delay recall",
          "FDR: tanh (standard units) has a lower error than GRU and than LSTM, each gated "
          "cell separately (matched)",
          AllOf(tuple(Paired(tasks_("fdr"), a=("tanh",), b=(c,)) for c in GATED))),
    Claim("abstract-ii-spread", "Abstract (ii), Introduction", ABSTRACT_II,
          "FDR (the task (ii) is drawn from): each gated cell's errors spread wider across "
          "seeds of one configuration than tanh's (sample std, matched configurations)",
          AllOf(tuple(Paired(tasks_("fdr"), a=(c,), b=("tanh",), value="spread",
                             test=Above(0.0)) for c in GATED))),
    Claim("abstract-ii-failures", "Abstract (ii), Introduction", ABSTRACT_II,
          "FDR: each gated cell fails to reach 1 % error with a larger share of a "
          "configuration's seeds than tanh (matched configurations)",
          AllOf(tuple(Paired(tasks_("fdr"), a=(c,), b=("tanh",), value="failures",
                             test=Above(0.0)) for c in GATED))),
    Claim("abstract-iii-gated-conditional", "Abstract (iii)",
          "(iii) gated units are found to perform better than standard RNNs on tasks that "
          "require values to be stored in memory and updated conditionally upon input to the "
          "network.",
          "Multiswitch, SVB, MVB: gated networks beat simple ones (matched)",
          Paired(tasks_("multiswitch", "svb", "mvb"), a=GATED, b=SIMPLE)),
    Claim("abstract-iv-depth", "Abstract (iv), V", ABSTRACT_IV,
          "1, 2 and 3 layers (no skips): no depth beats another consistently (in >= 80 % of "
          "variant x cell strata) or by more than the effect size, pooled and in each task "
          "(matched)", Independent(lambda t, k, n: True, axis="layers", where=_no_skip)),
    Claim("abstract-iv-skip", "Abstract (iv), V", ABSTRACT_IV,
          "Skip schemes (2-3 layers): none beats another consistently or by more than the "
          "effect size, pooled and in each task (matched)",
          Independent(lambda t, k, n: True, axis="skip", where=_deep)),
    Claim("intro-categorical-two-tasks", "Introduction",
          "At the same time, gated units are found to perform categorically better on two "
          "tasks that require conditional logic to be implemented.",
          "DDR, Multiswitch, SVB, MVB: in at least two tasks, some variant where gated runs "
          "solve perfectly more often than simple ones (matched, interval above 0)",
          Categorical(("ddr", "multiswitch", "svb", "mvb"))),
    Claim("init-seed-variance", "Introduction, V",
          "significant variance in performance due to different random initialisations is "
          "found, implying that stochastic gradient descent struggles to find good minima for "
          "these tasks",
          "All tasks: the median share of a variant x cell's error variance that lies within "
          "configurations (across seeds) is large (above 0.14)",
          SeedShare(lambda t, k, n: True)),
    # --- Network size (Abstract (ii) read as size; not the paper's reading) -------------
    Claim("size-deeper-less-reliable", "Abstract (ii) read as depth", ABSTRACT_II,
          "3 layers against 1 (no skips): errors spread wider across the seeds of a "
          "configuration (sample std, matched)",
          Paired(lambda t, k, n: True, a=(3,), b=(1,), axis="layers", value="spread",
                 where=_no_skip, test=Above(0.0))),
    Claim("size-wider-less-reliable", "Abstract (ii) read as width", ABSTRACT_II,
          "50 units against 5: errors spread wider across the seeds of a configuration "
          "(sample std, matched)",
          Paired(lambda t, k, n: True, a=(50,), b=(5,), axis="hidden", value="spread",
                 test=Above(0.0))),
    # --- Task difficulty (Section III; "all networks", IV-B) ----------------------------
    Claim("difficulty-fdr", "III (task design)",
          "The difficulty of the task was modified by changing two variables: the range of "
          "possible input values, which determines the theoretical amount of memory required "
          "to store one input; and N, the number of steps in the fixed delay, which "
          "determines how many inputs need to be stored.",
          "FDR: error rises at every step (k within each N, N=4 against N=3 at each k), each "
          "step separately (matched)", Harder("fdr")),
    Claim("difficulty-ddr", "III (task design)", DIFFICULTY,
          "DDR: error rises at every step of k, each separately (matched)", Harder("ddr")),
    Claim("difficulty-multiswitch", "III; IV-B (all networks)", DECLINE,
          "Multiswitch: error rises at every step of k, for every cell type separately "
          "(matched)", Harder("multiswitch", per_cell=True)),
    Claim("difficulty-svb", "III; IV-B (all networks)", DECLINE,
          "SVB: error rises at every step of k, for every cell type separately (matched)",
          Harder("svb", per_cell=True)),
    Claim("difficulty-mvb", "III (task design)", DIFFICULTY,
          "MVB: error rises at every step of k, each separately (matched)", Harder("mvb")),
    # --- Mechanisms (Figure 6, Section IV-B), from retrained networks --------------------
    Claim("mech-cell-tracks-switch", "IV-B, Figure 6",
          "Inspection of the cell state of neuron 1 in hidden layer 1 reveals that this cell "
          "is tracking the status of the second switch",
          f"Solved Multiswitch LSTMs: in most, some cell state's |correlation| with some "
          f"switch's state over the test steps is above {CORRELATION:g}",
          Mechanism("lstm", lambda rows: rows["switch_corr_max"] > CORRELATION,
                    f"a cell state tracks a switch (|r| > {CORRELATION:g})",
                    lambda rows: (f"median largest |r| {rows['switch_corr_max'].median():.2f}; "
                                  f"every switch tracked in "
                                  f"{int((rows['switch_corr_min'] > CORRELATION).sum())}"))),
    Claim("mech-lstm-input-forget-matter", "IV-B, Figure 6",
          "For the LSTM network that solved the multiswitch task, the input and forget gates "
          "of one cell for each switch worked together to compute an effective XOR over "
          "their previous state and the current input, allowing the correct state of the "
          "switches to be maintained.",
          "Solved Multiswitch LSTMs: in most, clamping the input gate to 1 and clamping the "
          "forget gate to 1 each raise the test error by more than 1 point",
          Mechanism("lstm", lambda rows: (_clamp_change("i1")(rows) > 1.0)
                    & (_clamp_change("f1")(rows) > 1.0), "both clamps raise the error",
                    lambda rows: (f"{_median('i1', 'i = 1')(rows)}, "
                                  f"{_median('f1', 'f = 1')(rows)}"))),
    Claim("mech-lstm-output-gate-unimportant", "IV-B, Figure 6",
          "The output gate was not found to be important to solving the task.",
          "Solved Multiswitch LSTMs: in most, clamping the output gate to 1 changes the test "
          "error by less than 1 point",
          Mechanism("lstm", lambda rows: _clamp_change("o1")(rows).abs() < 1.0,
                    "o = 1 changes the error by < 1 point",
                    lambda rows: (f"{_median('o1', 'o = 1')(rows)}, "
                                  f"{_median('omean', 'o at its mean')(rows)}; o at its mean "
                                  f"changes it by < 1 point in "
                                  f"{int((_clamp_change('omean')(rows).abs() < 1).sum())}"))),
    Claim("mech-gru-update-over-reset", "IV-B, Figure 6", GRU_MECHANISM,
          "Solved SVB GRUs: in most, clamping the update gate (to 0 or to 1, whichever "
          "hurts less) raises the test error more than clamping the reset gate to 1",
          Mechanism("gru", lambda rows: (rows[["error_z0", "error_z1"]].min(axis=1)
                                         > rows["error_r1"]),
                    "clamping z hurts more than r = 1",
                    lambda rows: (f"{_median('z1', 'z = 1')(rows)}, "
                                  f"{_median('z0', 'z = 0')(rows)}, "
                                  f"{_median('r1', 'r = 1')(rows)}; at their means: "
                                  f"{_median('zmean', 'z')(rows)}, "
                                  f"{_median('rmean', 'r')(rows)}"))),
)


INIT_QUOTE = ("A grid search over a range of values showed that GRU networks converged best "
              "when initialised with lower absolute weights - networks initialised with higher "
              "weights often exhibited unstable behaviour with performance getting worse, "
              "whereas LSTM and RNN networks performed better when their weights were "
              "initialised with larger absolute values.")


def init_variance_claim(low, high):
    """Section IV-A's claim over two readings that differ only in the initial variance
    (`low` the smaller): the runs carry a ``reading`` column and are matched across it."""
    def part(cell, test):
        return Paired(lambda t, k, n: True, a=(low,), b=(high,), axis="reading",
                      cells=(cell,), test=test)
    return Claim("init-variance-gru-low-lstm-rnn-high", "IV-A", INIT_QUOTE,
                 f"GRU errors are lower under {low} than under {high}; LSTM and tanh "
                 f"(standard RNN) errors are lower under {high} (matched runs)",
                 AllOf((part("gru", Below(0.0)), part("lstm", Above(0.0)),
                        part("tanh", Above(0.0)))))
