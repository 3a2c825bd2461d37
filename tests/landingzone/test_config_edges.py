"""Config values AWS or the gate would refuse later are refused by the model, with one message everywhere."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from landingzone.config import ConfigError, parse_settings, read_stack_config
from landingzone.kubernetes import load_calendar, supported_versions_problem
from tenantctl.check import CheckOptions, check_stack
from tenantctl.onboarding.fleet import validate_fleet

PROJECT = Path(__file__).resolve().parents[2]
SOURCE = "stacks/Pulumi.test.yaml"
VALID: dict[str, Any] = yaml.safe_load((PROJECT / "stacks" / "Pulumi.acme.yaml").read_text())["config"]
NETWORK = "landingzone:tenant.network"


def problems_for(path: str, value: Any, base: dict[str, Any] | None = None) -> list[str]:
    config = copy.deepcopy(base or VALID)
    node: Any = config
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    with pytest.raises(ConfigError) as raised:
        parse_settings("test", config, SOURCE)
    return raised.value.problems


def test_fail_a_single_availability_zone():
    assert problems_for(f"{NETWORK}.availability_zones", ["us-east-1a"]) == [
        f"{NETWORK}.availability_zones: List should have at least 2 items after validation, not 1"
    ]


def test_fail_the_same_availability_zone_twice():
    assert problems_for(f"{NETWORK}.availability_zones", ["us-east-1a", "us-east-1a"]) == [
        f"{NETWORK}.availability_zones: duplicate availability zone: ['us-east-1a']; each must appear once"
    ]


def test_fail_audit_retention_beyond_the_object_lock_maximum():
    assert problems_for("landingzone:tenant.retention.audit_days", 999999999999999999) == [
        "landingzone:tenant.retention.audit_days: 999999999999999999 days is above the S3 object-lock "
        "maximum of 36500 days (100 years)"
    ]


def test_fail_registry_retention_beyond_the_object_lock_maximum():
    (problem,) = problems_for("landingzone:tenant.retention.registry_days", 40000)
    assert problem.endswith("40000 days is above the S3 object-lock maximum of 36500 days (100 years)")


def test_fail_a_boolean_where_days_are_required():
    assert problems_for("landingzone:tenant.retention.audit_days", True) == [
        "landingzone:tenant.retention.audit_days: found true: YAML reads an unquoted "
        "true/false/yes/no/on/off as a boolean; required: a whole number"
    ]


def test_fail_unquoted_kubernetes_version_says_quote_it():
    assert problems_for("landingzone:platform.kubernetes_version", 1.3) == [
        "landingzone:platform.kubernetes_version: found the number 1.3: YAML reads unquoted digits with a "
        'dot as a number (1.30 becomes 1.3); quote it, e.g. "1.30"'
    ]


def test_fail_unquoted_account_id_says_quote_it():
    (problem,) = problems_for("landingzone:platform.account_id", 0o11122223333)
    assert problem.startswith(
        f"landingzone:platform.account_id: found the number {0o11122223333}: YAML reads"
    )
    assert problem.endswith('quote it, e.g. "011122223333"')


def test_fail_kubernetes_version_outside_the_supported_window():
    (problem,) = problems_for("landingzone:platform.kubernetes_version", "1.20")
    assert problem.startswith(
        "landingzone:platform.kubernetes_version: '1.20' is not a supported EKS version on "
    )
    assert "(landingzone/data/kubernetes-versions.yaml, as of " in problem


def test_kubernetes_window_follows_the_dated_calendar():
    assert supported_versions_problem("1.33", today=dt.date(2026, 1, 1)) is None
    assert supported_versions_problem("1.34", today=dt.date(2025, 9, 1)) == (
        "'1.34' is not a supported EKS version on 2025-09-01; allowed: 1.29, 1.30, 1.31, 1.32, 1.33 "
        f"(landingzone/data/kubernetes-versions.yaml, as of {load_calendar().as_of.isoformat()})"
    )
    assert supported_versions_problem("1.30", today=dt.date(2026, 7, 24)) is not None


def test_fail_allowlist_entries_that_together_cover_the_internet():
    config = copy.deepcopy(VALID)
    config["landingzone:tenant"]["network"]["egress"] = "nat-allowlist"
    assert problems_for(f"{NETWORK}.egress_allowlist", ["0.0.0.0/1", "128.0.0.0/1"], config) == [
        f"{NETWORK}.egress_allowlist: ['0.0.0.0/1', '128.0.0.0/1'] together cover the whole internet "
        "(0.0.0.0/0), which DATA-02 refuses; allowed: the destinations the tenant needs, narrower than the "
        "internet together"
    ]


REDIRECTING = ["aws:profile", "aws:accessKey", "aws:secretKey", "aws:token", "aws:assumeRoles",
               "aws:endpoints", "aws:skipCredentialsValidation"]  # fmt: skip


@pytest.mark.parametrize("key", REDIRECTING)
def test_fail_provider_keys_that_redirect_the_deploy(key):
    config = {**copy.deepcopy(VALID), key: "x"}
    with pytest.raises(ConfigError) as raised:
        parse_settings("test", config, SOURCE)
    assert raised.value.problems == [
        f"{key}: not allowed in a stack file: it would change where or as whom the deploy runs (credentials "
        "come from the pipeline); allowed aws keys: aws:region, aws:defaultTags, aws:allowedAccountIds"
    ]


def test_fail_unknown_landingzone_key_names_the_allowed_keys():
    config = {**copy.deepcopy(VALID), "landingzone:foo": 1}
    with pytest.raises(ConfigError) as raised:
        parse_settings("test", config, SOURCE)
    assert raised.value.problems == [
        "landingzone:foo: unknown key; allowed in landingzone: landingzone:tenant, landingzone:platform, "
        "landingzone:incident"
    ]


def test_fail_yaml_error_names_the_file(tmp_path: Path):
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text("config:\n  aws:region: [unclosed\n")
    with pytest.raises(ConfigError) as raised:
        read_stack_config(path)
    assert f'in "{path}", line' in str(raised.value)
    assert "<unicode string>" not in str(raised.value)


@pytest.mark.parametrize(
    ("path", "yaml_text"),
    [
        ("retention", "    retention: {audit_days: true}\n"),
        ("kubernetes", None),
        ("account", None),
    ],
)
def test_validate_and_check_give_the_same_message_for_the_same_bad_value(tmp_path: Path, path, yaml_text):
    acme = (PROJECT / "stacks" / "Pulumi.acme.yaml").read_text()
    if path == "retention":
        assert "retention:" not in acme
        text = acme.replace("  landingzone:tenant:\n", "  landingzone:tenant:\n" + yaml_text, 1)
    elif path == "kubernetes":
        text = acme.replace(
            "  landingzone:platform:\n", "  landingzone:platform:\n    kubernetes_version: 1.30\n"
        )
    else:
        text = acme.replace('account_id: "111122223333"', "account_id: 011122223333")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.acme.yaml").write_text(text)
    (validated,) = validate_fleet(tmp_path).stacks
    checked = check_stack("acme", CheckOptions(project_dir=tmp_path, packs_dir=tmp_path / "none"))
    assert validated.problems, text
    assert checked.status == "config-error"
    assert checked.error == str(ConfigError("stacks/Pulumi.acme.yaml", validated.problems))
