"""The report: built from a smoke runs.csv.gz, and from a folder with every part."""
import shlex
from pathlib import Path

import pytest

from reproduce.analysis import report
from reproduce.cli.commands.report import part_commands
from reproduce.cli.main import MODULE_PROG, build_parser, command_line
from reproduce.experiment.engines import run_many
from reproduce.experiment.profiles import get_profile
from reproduce.experiment.readings import get_reading
from reproduce.store import runs_csv


def smoke_runs():
    configs = get_profile("smoke").configs()
    rows = []
    for config, result in zip(configs, run_many(configs, "batched")):
        rows.append({"key": config.key, "variant": config.variant_id, **config.__dict__,
                     "status": "ok", **{c: getattr(result, c) for c in
                                        ("test_error", "training_error", "validation_error",
                                         "epochs", "stop_reason", "engine")}})
    import pandas as pd
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_the_report_builds_from_a_smoke_runs_csv(tmp_path, cli):
    folder = tmp_path / "smoke" / "stated"
    folder.mkdir(parents=True)
    runs_csv.write(smoke_runs(), folder / "runs.csv.gz")
    out = cli("report", "--results", str(folder))
    assert out.returncode == 0, out.stderr
    text = (folder / "REPORT.md").read_text()
    assert text.startswith("# Report: reading `stated`, profile `smoke`")
    for part in ("## 1. Table I", "## 2. The paper's claims", "## 3. What drives the error",
                 "## 4. Does the learned memory generalise", "## 5. How training proceeds",
                 "## 6. Figure 6", "python -m reproduce generalise --db",
                 "python -m reproduce curves --db", "## How each part was made"):
        assert part in text, part
    for name in ("report_table1_diff.png", "report_scatter.png"):
        assert (folder / name).stat().st_size > 0, name
    # it reads what exists: what the other commands make is named, with its command, not made
    made = part_commands(folder, get_reading("stated"), get_profile("smoke"))
    for name in report.PARTS:
        assert not (folder / report.PARTS[name]).exists(), name
        assert f"missing {folder / report.PARTS[name]}; make it with: {made[name]}" in out.stdout
    assert text.count("Not computed yet") == 5      # claims, anova, generalise, curves, noise
    assert f"    {made['claims']}" in text and f"    {made['anova']}" in text
    assert sorted(p.name for p in folder.iterdir()) == [
        "REPORT.md", "report_scatter.png", "report_table1_diff.png", "runs.csv.gz"]
    assert cli("report", "--help").returncode == 0


@pytest.mark.slow
def test_the_report_takes_every_part_from_its_folder(make_runs, tmp_path, cli):
    folder = tmp_path / "mine" / "var0.01"         # not a profile: all runs
    folder.mkdir(parents=True)
    runs_csv.write(make_runs(lambda c: 5.0 * c.seed + (3 if c.cell == "gru" else 0),
                             variants=(("fdr", 2, 2),), architectures=((1, "none"),),
                             widths=(4,), delta0=(0.1,), seeds=(0, 1), max_epochs=60,
                             init_variance=0.01),
                   folder / "runs.csv.gz")
    assert cli("generalise", "--db", str(folder / "runs.csv.gz"), "--reading", "var0.01",
               "--out", str(folder), "--lengths", "20,100", "--sequences", "4").returncode == 0
    assert cli("curves", "--db", str(folder / "runs.csv.gz"), "--reading", "var0.01",
               "--out", str(folder), "--per-group", "1").returncode == 0
    assert cli("claims", "--db", str(folder / "runs.csv.gz"), "--reading", "var0.01",
               "--out", str(folder)).returncode == 0
    (folder / "figures").mkdir()
    (folder / "figures" / "figure6.png").write_bytes(b"png")
    claims_before = (folder / "claims.csv").read_bytes()
    out = cli("report", "--results", str(folder))
    assert out.returncode == 0, out.stderr
    assert (folder / "claims.csv").read_bytes() == claims_before
    # one variant, architecture and width: nothing for an ANOVA to decompose, so no anova.csv
    assert [line.split()[1] for line in out.stdout.splitlines() if line.startswith("missing")] \
        == [f"{folder / 'anova.csv'};", f"{folder / 'noise_summary.csv'};",
            f"{folder / 'figures' / 'figure6_gru.png'};"]
    text = (folder / "REPORT.md").read_text()
    assert "reading `var0.01`" in text and "profile" not in text.splitlines()[0]
    assert text.count("Not computed yet") == 2 and "fdr-tanh-best-min" in text
    assert "![error against sequence length](generalisation.png)" in text
    assert "![learning curves](learning_curves.png)" in text
    assert "| fdr |" in text and "![figure6](figures/figure6.png)" in text
    assert "figure6 --reading var0.01 --cell gru --task svb --k 4" in text


@pytest.mark.parametrize("profile", [None, "quick"])
def test_the_report_commands_are_the_clis_own(profile):
    """Every command line the report prints parses, under the CLI's own parser, back to
    the options it was made of."""
    directory = Path("results dir") / "var0.09+cap50"        # a path the shell must quote
    made = part_commands(directory, get_reading("var0.09+cap50"),
                         get_profile(profile) if profile else None)
    assert set(made) == {"report", "table1", *report.PARTS}
    for name, line in made.items():
        words = shlex.split(line)
        assert " ".join(words[:3]) == MODULE_PROG
        command = words[3]
        parser, _ = build_parser(command=command)
        args = parser.parse_args(words[3:])
        assert args.command == command
        if command == "report":
            assert args.results == str(directory)
        else:
            assert args.reading == "var0.09+cap50"
            assert args.out.startswith(str(directory))
        if command not in ("figure6", "report"):
            assert args.profile == profile
            assert args.db == [f"{directory}/runs.csv.gz"]
    assert "--cell gru --task svb --k 4 --name figure6_gru" in made["figure6_gru"]


def test_command_lines_refuse_what_the_cli_does_not_define():
    assert command_line("claims", db=["a b"], reading="stated") == (
        f"{MODULE_PROG} claims --db 'a b' --reading stated")
    assert command_line("figure6", prog="reproduce", cell="gru", task=None) == (
        "reproduce figure6 --cell gru")
    with pytest.raises(ValueError, match="no command 'tabel1'"):
        command_line("tabel1")
    with pytest.raises(ValueError, match="claims has no option for 'results'"):
        command_line("claims", results="x")
    with pytest.raises(ValueError, match="report needs --results"):
        command_line("report")


def test_bad_input_exits_2_in_one_line(tmp_path, cli):
    for args, message in ((["--results", str(tmp_path)], "does not exist"),
                          (["--results", str(tmp_path), "--reading", "x"], "does not exist")):
        out = cli("report", *args)
        assert out.returncode == 2 and message in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
    (tmp_path / "runs.csv.gz").write_bytes(b"not gzip")
    out = cli("report", "--results", str(tmp_path))
    assert out.returncode == 2 and "cannot read" in out.stderr
    assert not (tmp_path / "REPORT.md").exists()


def test_figure6_trains_under_a_reading(tmp_path, cli):
    from reproduce.analysis.figures import load_figure_data
    out = cli("figure6", "--reading", "var0.01", "--seed", "0", "--max-epochs", "2",
              "--out", str(tmp_path), "--name", "f")
    assert out.returncode == 0, out.stderr
    assert load_figure_data(tmp_path / "f.npz")["config"].init_variance == 0.01


def test_the_commands_of_the_report_quote_their_paths():
    """Issue 20, minor: a folder with a space is one argument of each printed command."""
    import argparse
    import shlex
    from pathlib import Path

    from reproduce.cli.commands.report import part_commands
    from reproduce.cli.options import made_by
    from reproduce.experiment.profiles import get_profile
    from reproduce.experiment.readings import get_reading
    folder = "results/my results/l'été"
    reading, profile = get_reading("var0.09+cap25"), get_profile("quick")
    for name, line in part_commands(Path(folder), reading, profile).items():
        words = shlex.split(line)
        option = "--results" if name == "report" else "--out"
        expected = f"{folder}/figures" if name.startswith("figure6") else folder
        assert words[words.index(option) + 1] == expected, line
        if "--db" in words:
            assert words[words.index("--db") + 1] == f"{folder}/runs.csv.gz"
    args = argparse.Namespace(db=[f"{folder}/runs.csv.gz"], out=folder, replicates=(0,))
    words = shlex.split(made_by("claims", args, reading, profile).strip("`"))
    assert words[words.index("--db") + 1] == f"{folder}/runs.csv.gz"
    assert words[words.index("--out") + 1] == folder


def test_heat_map_labels_are_white_on_the_darkest_cells():
    """Issue 20, minor: black labels on the darkest cells were hard to read."""
    from reproduce.analysis.report import label_colour
    assert [label_colour(v, 40.0) for v in (-40.0, -30.0, 0.0, 10.0, 23.0, 40.0)] == [
        "white", "white", "black", "black", "black", "white"]
