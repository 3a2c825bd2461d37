"""policy_packs/membership.csv pins which policy each pack serves, with its control, severity and level."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_policies.membership import MEMBERSHIP_FILE, Member, load, members, render
from mlops_policies.packs import BASELINE_PACK, REGULATED_PACK, all_rules, pack_rules


def test_committed_membership_is_what_the_rules_declare():
    assert load() == members(all_rules()), "pack membership changed: review it, then run `make docs`"
    assert MEMBERSHIP_FILE.read_text() == render(load())


def test_membership_is_sorted_by_pack_and_policy_and_matches_each_pack():
    rows = load()
    assert rows == sorted(rows)
    for pack in (BASELINE_PACK, REGULATED_PACK):
        assert [m.policy for m in rows if m.pack == pack] == sorted(r.name for r in pack_rules(pack))


def test_membership_rows_round_trip(tmp_path: Path):
    rows = [Member("mlops-baseline", "sec-01-kms-key-rotation", "SEC-01", "high", "baseline")]
    path = tmp_path / "membership.csv"
    path.write_text(render(rows))
    assert path.read_text() == "pack,policy,control,severity,level\n" + (
        "mlops-baseline,sec-01-kms-key-rotation,SEC-01,high,baseline\n"
    )
    assert load(path) == rows


def test_membership_with_a_wrong_header_or_a_short_row_is_refused(tmp_path: Path):
    path = tmp_path / "membership.csv"
    path.write_text("pack,policy\n")
    with pytest.raises(
        ValueError, match=r"header must be pack,policy,control,severity,level, found pack,policy"
    ):
        load(path)
    path.write_text("pack,policy,control,severity,level\nmlops-baseline,sec-01-x\n")
    with pytest.raises(ValueError, match=r"line 2: 2 fields, required 5"):
        load(path)


def test_pass_the_committed_policy_index_is_what_the_rules_declare():
    # The gate reviews policy config against this file instead of discovering the rules (speed).
    from mlops_policies import policy_index

    rules = all_rules()
    assert policy_index.INDEX_FILE.read_text() == policy_index.render(rules), (
        "policy schemas changed: review them, then run `make docs`"
    )
    loaded = policy_index.load()
    assert sorted(loaded) == sorted(r.name for r in rules)
    sec01 = loaded["sec-01-kms-key-rotation"]
    assert (sec01.pack, sec01.control) == ("mlops-baseline", "SEC-01")


def test_fail_a_stale_policy_index_is_noticed(tmp_path: Path):
    from mlops_policies import policy_index

    rules = [r for r in all_rules() if r.name != "sec-01-kms-key-rotation"]
    assert policy_index.render(rules) != policy_index.INDEX_FILE.read_text()
