"""The Table I variants, their ids and parse_variant."""
import dataclasses

import numpy as np
import pytest

import tasks

# Table I's rows, in the paper's order (written out here, not derived from protocol.py).
TABLE_I_IDS = [
    "fdr-n3-k3", "fdr-n3-k4", "fdr-n3-k5", "fdr-n4-k3", "fdr-n4-k4", "fdr-n4-k5",
    "ddr-k3", "ddr-k4", "ddr-k5",
    "multiswitch-k2", "multiswitch-k3", "multiswitch-k4",
    "svb-k3", "svb-k4", "svb-k5", "svb-k6", "svb-k7",
    "mvb-k2", "mvb-k3", "mvb-k4",
]


def test_variants_are_table_i_in_order():
    variants = tasks.variants()
    assert len(variants) == 20
    assert [v.id for v in variants] == TABLE_I_IDS
    assert variants[3] == tasks.Variant("fdr", 3, 4)
    assert variants[9] == tasks.Variant("multiswitch", 2)


def test_variant_ids_are_unique_and_parse_back():
    variants = tasks.variants()
    assert len({v.id for v in variants}) == len(variants)
    for variant in variants:
        assert tasks.parse_variant(variant.id) == variant


def test_a_variant_of_numpy_numbers_is_the_same_key():
    assert {tasks.Variant("svb", 5): 1}[tasks.Variant("svb", np.int64(5))] == 1


def test_variant_dims():
    switches, binding = tasks.Variant("multiswitch", 4), tasks.Variant("mvb", 3)
    assert (switches.indim, switches.outdim) == (4, 2)
    assert (binding.indim, binding.outdim) == (3, 3)


def test_generate_takes_a_variants_fields():
    variant = tasks.Variant("fdr", 3, 3)
    data = tasks.generate(**dataclasses.asdict(variant), n_sequences=4)
    assert data.variant == variant


def test_parse_variant_accepts_any_valid_variant():
    assert tasks.parse_variant("fdr-n2-k3") == tasks.Variant("fdr", 3, 2)  # the worked example
    assert tasks.parse_variant("ddr-k9") == tasks.Variant("ddr", 9)


@pytest.mark.parametrize("text, message", [
    ("lstm-k3", "unknown variant id 'lstm-k3'.*task must be one of"),
    ("ddr", "unknown variant id 'ddr'; expected <task>-k<k>"),
    ("fdr-k3", "fdr' needs steps_back"),
    ("ddr-n3-k3", "takes no steps_back"),
    ("ddr-k1", "k must be an int >= 2"),
    ("fdr-n0-k3", "steps_back must be an int >= 1"),
    ("ddr-k03", "not in canonical form.*'ddr-k3'"),
    ("DDR-k3", "unknown variant id"),
    (" ddr-k3", "unknown variant id"),
    (3, "unknown variant id 3"),
])
def test_parse_variant_refuses(text, message):
    with pytest.raises(ValueError, match=message) as error:
        tasks.parse_variant(text)
    if "canonical" not in message:
        assert "fdr-n3-k3" in str(error.value) and "mvb-k4" in str(error.value)
