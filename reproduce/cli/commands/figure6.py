"""``reproduce figure6``: train a network over several seeds and draw its activity.

With no options this is the paper's Figure 6 (``reproduce.experiment.protocol.FIGURE6``: 2
layers of 5 LSTM cells, skip ``both``, Multiswitch with 3 switches).  Every
option of the configuration can be overridden, so the same command draws any
network, e.g. the GRU on Single Variable Binding::

    reproduce figure6                         # results/figures/figure6.*
    reproduce figure6 --cell gru --task svb --k 4
    reproduce figure6 --seed 7 --delta0 0.03  # one named run, retrained
    reproduce figure6 --key 3fa2c1 --db results/runs.sqlite   # a stored run

It trains seeds ``0..N-1`` (``--seeds N``) or the one ``--seed S``, keeps the
network with the lowest validation error (ties: the lowest seed), records it
on the variant's test sequences and draws test sequence ``--sequence i``
(default 0, the first test sequence, data-set row 48).  Training is
deterministic, so a configuration a user names (by its options or by its key in
the results store) is retrained exactly.  Writes
``<name>.png/.pdf`` with ``<name>.npz`` (every recorded number, the config and
the trained parameters) and ``<name>.csv`` beside them; prints the chosen seed
and its test error.  ``--engine batched`` (the default) trains all seeds at
once; ``--engine pybrain`` trains them one by one through PyBrain itself.
"""
import math
import sys
import time

from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.protocol import MAX_EPOCHS, SKIPS
from reproduce.analysis.figures import activity_of, save_activity
from reproduce.analysis.figures.io import file_names
from reproduce.cli.options import (
    DEFAULT_DB,
    RELATIVE_PATHS,
    UsageError,
    check_memory,
    check_out_dir,
    file_name,
    non_negative_int,
    positive_float,
    positive_int,
)
from reproduce.experiment.build import make_data
from reproduce.experiment.config import ENGINES, RunConfig
from reproduce.experiment.engines import fit_many
from reproduce.experiment.protocol import FIGURE6, FIGURE6_TEST_ERROR
from reproduce.experiment.readings import STATED, get_reading
from reproduce.store.database import Store, StoreError
from tasks import TASKS
from tasks.protocol import DATA_SEED

DEFAULT_SEEDS = 100          # ~12 s in the batched engine, ~15 s per seed in PyBrain
DEFAULT_DELTA0 = 0.1


# option -> its default when neither the option nor --key is given
_CONFIG_DEFAULTS = dict(FIGURE6, steps_back=None, delta0=DEFAULT_DELTA0, data_seed=DATA_SEED,
                        max_epochs=MAX_EPOCHS)


def configure(parser):
    net = parser.add_argument_group(
        "configuration (default: the paper's Figure 6 network; defaults in brackets)")
    net.add_argument("--task", choices=list(TASKS), help=f"[{FIGURE6['task']}]")
    net.add_argument("--k", type=positive_int,
                     help=f"input dimension, switches for multiswitch [{FIGURE6['k']}]")
    net.add_argument("--steps-back", type=positive_int, help="delay N, fdr only")
    net.add_argument("--cell", choices=list(CELL_TYPES), help=f"[{FIGURE6['cell']}]")
    net.add_argument("--layers", type=positive_int, help=f"[{FIGURE6['layers']}]")
    net.add_argument("--hidden", type=positive_int, help=f"[{FIGURE6['hidden']}]")
    net.add_argument("--skip", choices=SKIPS, help=f"[{FIGURE6['skip']}]")
    net.add_argument("--delta0", type=positive_float,
                     help=f"RProp's initial step [{DEFAULT_DELTA0}]")
    net.add_argument("--data-seed", type=non_negative_int,
                     help=f"seed of the task's data set [{DATA_SEED}]")
    net.add_argument("--max-epochs", type=non_negative_int,
                     help=f"cap on training epochs [{MAX_EPOCHS}]")
    seeds = parser.add_mutually_exclusive_group()
    seeds.add_argument("--seeds", type=positive_int,
                       help=f"train seeds 0..N-1 and keep the lowest validation error "
                            f"[{DEFAULT_SEEDS}]")
    seeds.add_argument("--seed", type=non_negative_int, help="train only this seed")
    seeds.add_argument("--key", help="retrain the stored run with this key (or a unique "
                                     "prefix of it) from the results store --db; no "
                                     "configuration options with it")
    parser.add_argument("--db", default=DEFAULT_DB,
                        help=f"results store that --key refers to [{DEFAULT_DB}; "
                             f"{RELATIVE_PATHS}]")
    parser.add_argument("--reading", default=STATED, metavar="NAME",
                        help="the reading of the protocol to train under [stated]")
    parser.add_argument("--sequence", type=non_negative_int, default=0,
                        help="which test sequence to draw [0, the first]")
    parser.add_argument("--engine", choices=ENGINES, default="batched",
                        help="[batched]")
    parser.add_argument("--out", default="results/figures",
                        help=f"output folder, created if missing [%(default)s; "
                             f"{RELATIVE_PATHS}]")
    parser.add_argument("--name", default=None, type=file_name,
                        help="file name stem, without a folder [figure6 for the paper's "
                             "network, else one naming the configuration]")


def _configs(args):
    """The RunConfigs to train, from the options or the store."""
    given = [name for name in _CONFIG_DEFAULTS if getattr(args, name) is not None]
    if args.key is not None:
        if given:
            raise UsageError("--key names a stored configuration; it takes no "
                             + ", ".join("--" + n.replace("_", "-") for n in given))
        return [stored_config(args.key, args.db)[0]]
    values = {name: (default if getattr(args, name) is None else getattr(args, name))
              for name, default in _CONFIG_DEFAULTS.items()}
    if values["layers"] == 1 and args.skip is None:
        values["skip"] = "none"      # the preset's skip needs two layers; one has no skips
    seeds = [args.seed] if args.seed is not None else list(range(args.seeds or DEFAULT_SEEDS))
    try:
        reading = get_reading(args.reading)
        return [reading.apply(RunConfig(**values, seed=seed)) for seed in seeds]
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def stored_config(key, db):
    """``(RunConfig, stored test error or None)`` of the run stored under `key` (or a
    unique prefix of it) in the results store `db`."""
    try:
        with Store.open(db) as store:
            runs = store.runs()
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    matches = runs[runs["key"].str.startswith(key)] if key else runs.iloc[:0]
    if len(matches) == 0:
        raise UsageError(f"no run in {db} has a key starting {key!r}")
    if len(matches) > 1:
        raise UsageError(f"{len(matches)} runs in {db} have a key starting {key!r}; "
                         "give a longer prefix")
    row = matches.iloc[0]
    stored_error = row.get("test_error")
    stored_error = None if stored_error is None or stored_error != stored_error else float(
        stored_error)   # NaN / None: a failed run
    return RunConfig.from_json(row["config"]), stored_error


def is_figure6(config):
    """Whether `config` is the paper's Figure 6 network (reproduce.experiment.protocol.FIGURE6)."""
    return all(getattr(config, name) == value for name, value in FIGURE6.items())


def default_stem(config):
    if is_figure6(config):
        return "figure6"
    return (f"activity_{config.variant_id}_{config.cell}_L{config.layers}"
            f"_H{config.hidden}_{config.skip}")


def choose(configs, results):
    """Index of the run with the lowest validation error; ties go to the lowest seed."""
    def rank(i):
        error = results[i].validation_error
        return (error if not math.isnan(error) else math.inf, configs[i].seed)
    return min(range(len(configs)), key=rank)


def train(configs, engine):
    """``[(RunResult, params)]`` of `configs`, printing one line per run as it finishes."""
    print(f"  {'seed':>4}  {'validation':>11}  {'test %':>7}  {'epochs':>6}  stop")
    if engine == "pybrain":   # one at a time, so progress shows
        fits = []
        for config in configs:
            fits += fit_many([config], engine)
            _print_run(config, fits[-1][0])
        return fits
    fits = fit_many(configs, engine)
    for config, (result, _) in zip(configs, fits):
        _print_run(config, result)
    return fits


def _seeds_text(seeds):
    if len(seeds) == 1:
        return f"seed {seeds[0]}"
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"seeds {seeds[0]}..{seeds[-1]} ({len(seeds)})"
    return f"seeds {', '.join(map(str, seeds))}"


def _print_run(config, result):
    print(f"  {config.seed:>4}  {result.validation_error:>11.6g}  {result.test_error:>7.2f}  "
          f"{result.epochs:>6}  {result.stop_reason}", flush=True)


def execute(args):
    configs = _configs(args)
    test_size = len(make_data(configs[0])[2].rows)
    if args.sequence >= test_size:
        raise UsageError(f"--sequence must be < {test_size} (the test sequences); "
                         f"got {args.sequence}")
    check_memory(configs, args.engine)
    engine = args.engine
    stem = args.name or default_stem(configs[0])
    out = check_out_dir(args.out, names=file_names(stem))
    seeds = [c.seed for c in configs]
    c = configs[0]
    print(f"{c.variant_id} {c.cell} L{c.layers} H{c.hidden} {c.skip} d{c.delta0:g}: "
          f"{_seeds_text(seeds)}; engine {engine}", flush=True)

    start = time.perf_counter()
    fits = train(configs, engine)
    seconds = time.perf_counter() - start
    results = [result for result, _ in fits]
    best = choose(configs, results)
    config, (result, params) = configs[best], fits[best]

    summary = {"seed": config.seed, "key": config.key, "test_error": result.test_error,
               "validation_error": result.validation_error,
               "training_error": result.training_error, "epochs": result.epochs,
               "stop_reason": result.stop_reason, "engine": result.engine,
               "seeds_tried": len(configs), "training_seconds": seconds}
    candidates = {"seed": seeds,
                  "validation_error": [r.validation_error for r in results],
                  "test_error": [r.test_error for r in results],
                  "epochs": [r.epochs for r in results]}
    activity = activity_of(config, params, args.sequence, summary, candidates)
    if abs(activity.error - result.test_error) > 1e-9:
        print(f"warning: the recorded network's test error {activity.error:.4f} % differs "
              f"from the run's {result.test_error:.4f} %", file=sys.stderr)
    paths = save_activity(activity, out, stem)

    paper = (f" (the paper's Figure 6 network: {FIGURE6_TEST_ERROR} %)"
             if is_figure6(config) else "")
    print(f"trained {len(configs)} network(s) in {seconds:.1f} s")
    print(f"chosen: seed {config.seed} (lowest validation error, "
          f"{result.validation_error:.6g}); test error {result.test_error:.2f} %{paper}")
    print(f"drew test sequence {args.sequence} (data-set row "
          f"{int(activity.rows[args.sequence])}); key {config.key[:12]}")
    if args.key is not None:
        stored_error = stored_config(args.key, args.db)[1]
        if stored_error is not None and abs(stored_error - result.test_error) > 1e-9:
            print(f"warning: the store has test error {stored_error:.4f} % for this run; "
                  f"retrained: {result.test_error:.4f} %", file=sys.stderr)
    for path in paths:
        print(f"wrote {path}")
    return 0
