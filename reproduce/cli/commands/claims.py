"""``python -m reproduce claims``: the paper's claims as verdicts over stored runs.

    python -m reproduce claims --db results/runs.sqlite [--reading NAME] [--out results/]
    python -m reproduce claims --db results/paper/stated/runs.csv.gz --profile paper

Each claim of the paper's results section and abstract (`reproduce.analysis.claims`) is
decided over the runs of one reading (``stated`` unless ``--reading`` names
another; ``--profile`` keeps only that grid's runs): ``holds``, ``fails`` or
``inconclusive``, with the evidence (paired differences with bootstrap
intervals, or Table I counts with their bootstrap support) and what the
published Table I itself says.  Writes ``claims.csv`` and ``claims.md`` to
``--out`` and prints the table.  ``--db`` is a results store or a
``runs.csv.gz``; it is only read.
"""
from reproduce.analysis import claims
from reproduce.cli.options import (
    add_input_options,
    add_published_option,
    check_out_dir,
    db_label,
    load_input,
    made_by,
    published_table,
)
from reproduce.store.files import replacing, together, write_text


def configure(parser):
    add_input_options(parser, "claims.csv and claims.md")
    add_published_option(parser)


def execute(args):
    published = published_table(args)
    ok, reading, profile = load_input(args)
    out = check_out_dir(args.out, names=["claims.csv", "claims.md"])
    frame = claims.evaluate(ok, published)
    source = (f"Reading `{reading.name}` ({reading.describe()}); {len(ok):,} runs of "
              f"`{db_label(args)}`" + (f", profile `{profile.name}`" if profile else "")
              + f".  Made by {made_by('claims', args, reading, profile)}.")
    text = claims.to_markdown(frame, source)
    with together(), replacing(out / "claims.csv") as temporary:
        frame.to_csv(temporary, index=False, float_format="%.4f")
        write_text(out / "claims.md", text)
    print(text)
    print(f"wrote {out / 'claims.csv'}, {out / 'claims.md'}")
    return 0
