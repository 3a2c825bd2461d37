"""The GPU catalog as data: lookups and layouts, without any Pulumi machinery."""

import pytest

from landingzone.gpu import is_gpu_instance_type, load_catalog


def test_catalog_ships_inside_the_project_and_lists_every_instance_type():
    catalog = load_catalog()
    assert set(catalog.instance_types) >= {"p4de.24xlarge", "p5.48xlarge", "p5e.48xlarge", "g6e.xlarge"}


def test_a100_80gb_layouts_are_disabled_balanced_and_one_per_profile():
    gpu = load_catalog().instance("p4de.24xlarge").gpu
    assert gpu.layouts() == [
        "all-disabled", "all-balanced", "all-1g.10gb", "all-1g.20gb", "all-2g.20gb",
        "all-3g.40gb", "all-4g.40gb", "all-7g.80gb",
    ]  # fmt: skip


def test_gpus_without_mig_have_no_layouts():
    assert load_catalog().instance("g6e.xlarge").gpu.layouts() == []


def test_mig_slices_multiply_per_gpu_counts_by_gpus_per_node():
    assert load_catalog().mig_slices("p4de.24xlarge", "all-3g.40gb") == {"3g.40gb": 16}
    assert load_catalog().mig_slices("p5e.48xlarge", "all-balanced") == {
        "1g.18gb": 16,
        "2g.35gb": 8,
        "3g.71gb": 8,
    }


def test_all_disabled_exposes_no_slices():
    assert load_catalog().mig_slices("p5.48xlarge", "all-disabled") == {}


def test_unknown_layout_is_a_key_error():
    with pytest.raises(KeyError):
        load_catalog().mig_slices("p5.48xlarge", "all-9g.99gb")


@pytest.mark.parametrize(
    ("instance_type", "is_gpu"),
    [
        ("p5.48xlarge", True),
        ("g6e.xlarge", True),
        ("g4dn.xlarge", True),
        ("m7i.large", False),
        ("gp3", False),
    ],
)
def test_gpu_families_are_recognised_by_name(instance_type, is_gpu):
    assert is_gpu_instance_type(instance_type) is is_gpu
