"""``python -m reproduce mechanisms``: Figure 6's mechanisms over many retrained networks.

    python -m reproduce mechanisms --db results/paper/var0.09+cap50/runs.csv.gz \\
        --reading var0.09+cap50 --profile paper --networks 30 \\
        --out results/paper/var0.09+cap50

Picks ``--networks`` solved Multiswitch LSTMs and as many solved SVB GRUs from the
selected runs (deterministically: `reproduce.analysis.mechanisms.choose`), retrains
each from its configuration with the engine that stored it, checks that the
retrained test error is the stored one (and says which are not), records it,
clamps its gates and correlates its cell states with the switches
(`reproduce.analysis.mechanisms`).  Writes ``mechanisms.csv`` (the cache
``reproduce claims --mechanisms`` reads) and ``mechanisms.md`` to ``--out`` and
prints how long it took.  ``--db`` is only read.
"""
import time

from reproduce.analysis import mechanisms
from reproduce.cli.options import (
    UsageError,
    add_input_options,
    check_out_dir,
    db_label,
    load_input,
    made_by,
    number_option,
)
from reproduce.store.files import replacing, together, write_text


def configure(parser):
    add_input_options(parser, "mechanisms.csv and mechanisms.md")
    parser.add_argument("--networks", type=number_option(int, minimum=1, maximum=1000),
                        default=mechanisms.DEFAULT_NETWORKS, metavar="N",
                        help=f"solved networks per cell and task (default "
                             f"{mechanisms.DEFAULT_NETWORKS})")


def execute(args):
    ok, reading, profile = load_input(args)
    chosen = {group: mechanisms.choose(ok, *group, args.networks)
              for group in mechanisms.GROUPS}
    empty = [f"{cell} on {task}" for (cell, task), frame in chosen.items() if frame.empty]
    if empty:
        raise UsageError(f"{db_label(args)} has no solved runs of {' or '.join(empty)} in "
                         f"reading {reading.name}; nothing to measure")
    out = check_out_dir(args.out, names=["mechanisms.csv", "mechanisms.md"])
    start = time.perf_counter()
    frames = []
    for (cell, task), frame in chosen.items():
        print(f"{cell} on {task}: {len(frame)} solved networks", flush=True)
        frames.append(mechanisms.measure(frame, log=lambda text: print("  " + text,
                                                                          flush=True)))
    import pandas as pd
    cache = pd.concat(frames, ignore_index=True)
    seconds = time.perf_counter() - start
    bad = mechanisms.mismatches(cache)
    networks = f" --networks {args.networks}"
    lines = ["# Figure 6's mechanisms over retrained networks", "",
             f"Reading `{reading.name}`; runs of `{db_label(args)}`"
             + (f", profile `{profile.name}`" if profile else "")
             + f".  Made by {made_by('mechanisms', args, reading, profile, networks)}.",
             "", f"{len(cache)} networks retrained; {len(cache) - len(bad)} reproduce their "
             "stored test error exactly (retrained, recorded through PyBrain, and recomputed "
             "by `reproduce.analysis.mechanisms.forward`).  Each measure is the test error "
             "(%) as it is and with one gate held (`error_<gate><value>`; `mean`: each "
             "unit's mean over the test steps), and the largest |correlation| of a cell "
             "state with a switch (`switch_corr_max`; `switch_corr_min`: the weakest "
             "switch's best).", "", mechanisms.summary(cache).rstrip(), ""]
    if len(bad):
        lines += ["Not reproduced: " + ", ".join(f"{k[:12]} ({s:g} stored, {r:g} retrained)"
                                                 for k, s, r in zip(bad["key"],
                                                                    bad["stored_error"],
                                                                    bad["retrained_error"])),
                  ""]
    with together():
        with replacing(out / "mechanisms.csv") as temporary:
            mechanisms.write_cache(cache, temporary)
        write_text(out / "mechanisms.md", "\n".join(lines))
    print("\n".join(lines))
    print(f"measured {len(cache)} networks in {seconds:.1f} s; {len(bad)} mismatches")
    print(f"wrote {out / 'mechanisms.csv'}, {out / 'mechanisms.md'}")
    return 0
