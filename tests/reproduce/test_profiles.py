"""Grid profiles: the paper's grid (docs/protocol.md §5), quick and smoke, their validation."""
import pytest

import tasks
from pybrain_ext.protocol import MAX_EPOCHS
from reproduce.experiment import protocol
from reproduce.experiment.config import RunConfig
from reproduce.experiment.profiles import PROFILES, Profile, get_profile, grid_architectures
from reproduce.experiment.readings import get_reading


def test_paper_profile_is_the_protocol_grid():
    paper = get_profile("paper")
    assert paper.variants == tuple(v.id for v in tasks.variants())
    assert paper.cells == protocol.GRID_CELLS
    assert paper.widths == protocol.GRID_WIDTHS
    assert paper.delta0 == protocol.GRID_DELTA0
    assert paper.seeds == protocol.GRID_SEEDS
    assert paper.max_epochs == MAX_EPOCHS
    # L=1 only without skips, L=2,3 with each of the four: 9 architectures
    assert paper.architectures == ((1, "none"),) + tuple(
        (n, s) for n in (2, 3) for s in ("none", "in", "out", "both"))
    assert paper.n_configurations == 13_500
    assert paper.n_runs == 40_500
    assert "13,500 configurations" in paper.describe()
    assert paper.describe().endswith("= 40,500 runs")


@pytest.mark.slow                    # 40,500 keys
def test_paper_profile_expands_to_40500_distinct_runs():
    configs = get_profile("paper").configs()
    assert len(configs) == 40_500
    assert len({c.key for c in configs}) == 40_500
    assert all(isinstance(c, RunConfig) for c in configs[:10])
    assert {(c.layers, c.skip) for c in configs if c.layers == 1} == {(1, "none")}
    assert {c.variant_id for c in configs} == {v.id for v in tasks.variants()}


def test_quick_covers_every_variant_and_cell_and_is_part_of_paper():
    quick, paper = get_profile("quick"), get_profile("paper")
    configs = quick.configs()
    assert {(c.variant_id, c.cell) for c in configs} == {
        (v.id, cell) for v in tasks.variants() for cell in protocol.GRID_CELLS}
    assert len(configs) == quick.n_runs < paper.n_runs / 4
    # quick's axes are subsets of the paper's: its runs are the start of a paper sweep
    assert set(quick.architectures) <= set(paper.architectures)
    assert set(quick.widths) <= set(paper.widths)
    assert set(quick.delta0) <= set(paper.delta0)
    assert set(quick.seeds) <= set(paper.seeds)
    assert quick.max_epochs == paper.max_epochs


def test_smoke_is_tiny():
    smoke = get_profile("smoke")
    configs = smoke.configs()
    assert len(configs) == smoke.n_runs <= 16
    assert all(c.max_epochs <= 10 and c.hidden <= 3 for c in configs)
    assert "(max_epochs 5)" in smoke.describe()


def test_expansion_order_is_seed_innermost_and_deterministic():
    smoke = get_profile("smoke")
    first, again = smoke.configs(), smoke.configs()
    assert [c.key for c in first] == [c.key for c in again]
    assert [c.seed for c in first[:2]] == list(smoke.seeds)


def test_unknown_profile_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown profile 'huge'.*paper, quick, smoke"):
        get_profile("huge")
    assert set(PROFILES) == {"paper", "quick", "smoke"}


def test_grid_architectures():
    assert grid_architectures((1,), ("none", "both")) == ((1, "none"),)
    assert len(grid_architectures()) == 9


@pytest.mark.parametrize("change, message", [
    (dict(variants=("fdr-k3",)), "fdr"),
    (dict(cells=("lstm", "elman")), "unknown cell"),
    (dict(architectures=((1, "both"),)), "needs layers >= 2"),
    (dict(widths=()), "axis widths is empty"),
    (dict(seeds=(0, 0)), "repeats"),
    (dict(delta0=(-0.1,)), "delta0"),
])
def test_profile_validates_its_axes(change, message):
    fields = dict(name="bad", description="", variants=("mvb-k2",), cells=("lstm",),
                  architectures=((1, "none"),), widths=(2,), delta0=(0.1,), seeds=(0,))
    fields.update(change)
    with pytest.raises(ValueError, match=message):
        Profile(**fields)


def test_a_reading_gives_other_keys():
    from reproduce.experiment.readings import get_reading
    smoke = get_profile("smoke")
    reading = get_reading("var0.01+zero-target")
    other = smoke.configs(reading)
    assert {(c.init_variance, c.untargeted, c.max_epochs) for c in other} == {
        (0.01, "zero_target", smoke.max_epochs)}
    assert not {c.key for c in other} & {c.key for c in smoke.configs()}
    assert smoke.configs(get_reading("stated")) == smoke.configs()
    assert "reading var0.01+zero-target" in smoke.describe(reading)
    assert "reading" not in smoke.describe()


def test_keys_are_the_configurations_keys_in_their_order():
    smoke = get_profile("smoke")
    reading = get_reading("var0.09+cap4")
    for replicate in (0, 2):
        assert smoke.keys(reading, replicate) == tuple(
            c.key for c in smoke.configs(reading, replicate))
    assert smoke.keys() != smoke.keys(reading)
    assert smoke.configs(reading) is not smoke.configs(reading)     # a list of one's own
