"""Policy config can only tighten: the file review (usage errors, weakenings, exemptions), the packs' side."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from mlops_policies import exemptions as ex
from mlops_policies import policy_config as pc
from mlops_policies.controls.prov_03.ecr_immutable_tags import ecr_immutable_tags
from mlops_policies.packs import all_rules
from mlops_policies.policy_facts import PolicyFacts
from tenantctl.gate_inputs import review_policy_config
from tenantctl.policy_config import PolicyConfigFileError
from tests.policies.harness import Res, run_stack

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2027, 1, 15)
SOON = "2027-02-01"
REPOSITORY = "aws:ecr/repository:Repository"
PLATFORM = pc.PlatformExemptions(("ciso@example.com",), 90)
SOURCE = "policy/policy-config.json"


def policies() -> dict[str, PolicyFacts]:
    return {rule.name: rule.facts for rule in all_rules()}


def review(data: dict) -> pc.Review:
    return pc.review(data, SOURCE, policies(), PLATFORM, today=TODAY)


def exemption(**changes: str) -> dict[str, str]:
    entry = {
        "urn": "*::aws:ecr/repository:Repository::acme-registry-legacy",
        "reason": "vendor images, rebuilt by March",
        "approver": "ciso@example.com",
        "expires": SOON,
    }
    return {**entry, **changes}


def exemption_findings(entry: dict[str, str]) -> list[str]:
    result = review({"prov-03-ecr-immutable-tags": {"exemptions": [entry]}})
    assert result.errors == []
    return [f.message for f in result.findings]


# ---------------------------------------------------------------- unusable input: exit 2


def test_fail_misspelled_policy_name_is_a_usage_error_naming_the_file_the_key_and_the_allowed_names():
    (error,) = review({"sec-01-kms-key-rotaton": "advisory"}).errors
    assert error.startswith(
        f"{SOURCE}: 'sec-01-kms-key-rotaton' is not a policy of any pack "
        "(did you mean 'sec-01-kms-key-rotation'?); allowed: all, aud-01-"
    )
    assert "sec-01-kms-key-rotation" in error.split("allowed: ")[1].split(", ")


def test_fail_misspelled_property_is_a_usage_error_listing_the_policy_properties():
    assert review({"prov-01-registry-default-retention": {"minRegistryRetentionDay": 40}}).errors == [
        f"{SOURCE}: prov-01-registry-default-retention.minRegistryRetentionDay: unknown property "
        "(did you mean 'minRegistryRetentionDays'?); allowed: enforcementLevel, exemptions, "
        "minRegistryRetentionDays"
    ]


def test_fail_wrong_type_is_a_usage_error():
    assert review({"aud-03-log-group-retention": {"minLogRetentionDays": "ninety"}}).errors == [
        f"{SOURCE}: aud-03-log-group-retention.minLogRetentionDays: 'ninety' is not of type 'integer'"
    ]


def test_fail_unknown_field_in_an_exemption_is_a_usage_error():
    entry = {**exemption(), "ticket": "SEC-1"}
    (error,) = review({"prov-03-ecr-immutable-tags": {"exemptions": [entry]}}).errors
    assert error.startswith(f"{SOURCE}: prov-03-ecr-immutable-tags.exemptions[0]: Additional properties")


def test_fail_unknown_enforcement_level_names_the_levels():
    assert review({"all": "off"}).errors == [
        f"{SOURCE}: all: 'off'; allowed: advisory, mandatory, remediate, disabled"
    ]


def test_fail_platform_properties_cannot_be_set_in_the_file():
    (error,) = review({"prov-03-ecr-immutable-tags": {"exemptionApprovers": ["me"]}}).errors
    assert error.startswith(
        f"{SOURCE}: prov-03-ecr-immutable-tags.exemptionApprovers: set by the platform "
        "(platform.yaml exemptions), not in policy config"
    )


def test_fail_tenantctl_refuses_the_file_before_any_check(tmp_path: Path):
    path = tmp_path / "typo.json"
    path.write_text(json.dumps({"sec-01-kms-key-rotaton": "advisory"}))
    with pytest.raises(PolicyConfigFileError, match=r"unusable policy config \(1 problem\(s\)\)"):
        review_policy_config(path, REPO)


# ---------------------------------------------------------------- thresholds: stricter yes, looser no


def test_pass_stricter_thresholds_are_kept_and_cause_no_finding():
    result = review(
        {
            "aud-02-audit-compliance-retention": {"minAuditRetentionDays": 730},
            "gpu-04-node-group-max-size": {"maxGpuNodes": 8},
        }
    )
    assert result.errors == [] and result.findings == []
    assert result.config["aud-02-audit-compliance-retention"]["minAuditRetentionDays"] == 730
    assert result.config["gpu-04-node-group-max-size"]["maxGpuNodes"] == 8


def test_fail_floor_lowered_is_a_violation_of_its_control_and_the_catalog_value_applies():
    result = review({"aud-02-audit-compliance-retention": {"minAuditRetentionDays": 1}})
    assert [(f.policy, f.control, f.pack, f.message) for f in result.findings] == [
        (
            "aud-02-audit-compliance-retention",
            "AUD-02",
            "mlops-baseline",
            f"{SOURCE} sets aud-02-audit-compliance-retention.minAuditRetentionDays to 1, looser than the "
            "catalog; required: at least the catalog minimum of 365 (a config may only tighten a control; "
            "use an exemption instead)",
        )
    ]
    assert result.config["aud-02-audit-compliance-retention"]["minAuditRetentionDays"] == 365


def test_fail_ceiling_raised_is_a_violation():
    (finding,) = review({"gpu-04-node-group-max-size": {"maxGpuNodes": 100000}}).findings
    assert finding.message == (
        f"{SOURCE} sets gpu-04-node-group-max-size.maxGpuNodes to 100000, looser than the catalog; "
        "required: at most the catalog maximum of 16 (a config may only tighten a control; use an "
        "exemption instead)"
    )


def test_fail_shared_prefix_added_is_a_violation_and_only_catalog_prefixes_apply():
    result = review({"ten-02-no-other-tenant-references": {"sharedPrefixes": ["platform", "globex"]}})
    assert [f.control for f in result.findings] == ["TEN-02"]
    assert result.config["ten-02-no-other-tenant-references"]["sharedPrefixes"] == ["platform"]


def test_every_bound_names_a_real_policy_property_and_reaches_the_published_schema():
    rules = {rule.name: rule for rule in all_rules()}
    for policy, props in pc.load_bounds().items():
        assert policy in rules, policy
        schema = rules[policy].policy.config_schema.properties
        for prop, bound in props.items():
            assert prop in schema, (policy, prop)
            if bound.minimum is not None:
                assert schema[prop]["minimum"] == bound.minimum == rules[policy].config_defaults[prop]
            if bound.maximum is not None:
                assert schema[prop]["maximum"] == bound.maximum == rules[policy].config_defaults[prop]


def test_fail_pack_reports_a_loosened_threshold_it_receives_directly():
    stack = [Res(REPOSITORY, "r", {"imageTagMutability": "IMMUTABLE"})]
    rule = next(r for r in all_rules() if r.name == "aud-02-audit-compliance-retention")
    outcome = run_stack(rule, stack, config={"minAuditRetentionDays": 1})
    assert outcome.violations == [
        "policy config sets aud-02-audit-compliance-retention.minAuditRetentionDays to 1, looser than the "
        "catalog; required: at least the catalog minimum of 365 (a config may only tighten a control; use "
        "an exemption instead)"
    ]


# ---------------------------------------------------------------- exemptions


def test_pass_exemption_naming_a_type_and_a_name_approved_and_near_expiry_is_kept():
    result = review({"prov-03-ecr-immutable-tags": {"exemptions": [exemption()]}})
    assert result.findings == []
    settings = result.config["prov-03-ecr-immutable-tags"]
    assert settings["exemptions"] == [exemption()]
    assert settings[ex.APPROVERS] == ["ciso@example.com"] and settings[ex.MAX_DAYS] == 90


@pytest.mark.parametrize(
    ("urn", "problem"),
    [
        ("*", "urn '*' must name a resource type and a name"),
        ("*::*", "urn '*::*' has no exact resource type ('*')"),
        ("*::acme-keys-legacy", "urn '*::acme-keys-legacy' has no exact resource type ('*')"),
        ("*::aws:ecr/*::legacy", "urn '*::aws:ecr/*::legacy' has no exact resource type ('aws:ecr/*')"),
        (
            "*::aws:ecr/repository:Repository::*",
            "urn '*::aws:ecr/repository:Repository::*' has no resource name (it starts with a wildcard)",
        ),
    ],
)
def test_fail_broad_urn_pattern_is_a_violation_and_the_exemption_is_dropped(urn, problem):
    result = review({"prov-03-ecr-immutable-tags": {"exemptions": [exemption(urn=urn)]}})
    (finding,) = result.findings
    assert finding.message.startswith(f"{SOURCE}: exemption #1 for '{urn}': {problem}")
    assert finding.message.endswith("; the exemption does not apply")
    assert result.config["prov-03-ecr-immutable-tags"]["exemptions"] == []


def test_fail_approver_not_declared_by_the_platform():
    assert exemption_findings(exemption(approver="me")) == [
        f"{SOURCE}: exemption #1 for '*::aws:ecr/repository:Repository::acme-registry-legacy' is approved "
        "by 'me', who may not approve exemptions; allowed: ciso@example.com; the exemption does not apply"
    ]


def test_fail_expiry_beyond_the_platform_maximum():
    assert exemption_findings(exemption(expires="2099-12-31")) == [
        f"{SOURCE}: exemption #1 for '*::aws:ecr/repository:Repository::acme-registry-legacy' expires on "
        "2099-12-31, more than 90 days ahead; required: on or before 2027-04-15; the exemption does not apply"
    ]


def test_fail_blank_reason_and_expired_date():
    assert exemption_findings(exemption(reason="  ")) == [
        f"{SOURCE}: exemption #1 for '*::aws:ecr/repository:Repository::acme-registry-legacy' is incomplete: "
        "missing reason; the exemption does not apply"
    ]
    assert exemption_findings(exemption(expires="2027-01-14"))[0].endswith(
        "expired on 2027-01-14; the exemption does not apply"
    )


def test_fail_no_approvers_declared_refuses_every_exemption():
    result = pc.review(
        {"prov-03-ecr-immutable-tags": {"exemptions": [exemption()]}},
        SOURCE,
        policies(),
        pc.PlatformExemptions((), 90),
        today=TODAY,
    )
    assert "allowed: none declared (platform.yaml exemptions.approvers)" in result.findings[0].message


def test_fail_stack_policy_exemption_matching_every_resource_is_a_violation():
    rule = next(r for r in all_rules() if r.name == "aud-02-audit-compliance-retention")
    stack = [Res(REPOSITORY, "acme-a", {}), Res(REPOSITORY, "acme-b", {})]
    entry = exemption(urn="*::aws:ecr/repository:Repository::acme-*", expires=dt.date.today().isoformat())
    config = {"exemptions": [entry], ex.APPROVERS: ["ciso@example.com"]}
    assert run_stack(rule, stack, config=config).violations == [
        "exemption #1 for '*::aws:ecr/repository:Repository::acme-*' matches every resource of the stack; "
        "it must name one resource type and a name; the exemption does not apply"
    ]


def test_pack_note_and_gate_parser_are_one_contract():
    resource = ex.note("ciso@example.com", SOON, "vendor images,\n rebuilt by March")
    assert resource == f"exempted by ciso@example.com until {SOON}: vendor images, rebuilt by March"
    assert ex.parse_notes(resource) == [
        ex.ExemptionNote("ciso@example.com", SOON, "vendor images, rebuilt by March")
    ]
    exempt = ex.parse_exemptions({"exemptions": [exemption()], ex.APPROVERS: ["ciso@example.com"]}, TODAY)[0]
    stack = ex.notes({"urn:pulumi:acme::p::aws:ecr/repository:Repository::a": exempt, "urn:b": exempt})
    parsed = ex.parse_notes(stack)
    assert parsed is not None and [n.urn for n in parsed] == [
        "urn:pulumi:acme::p::aws:ecr/repository:Repository::a",
        "urn:b",
    ]
    assert ex.parse_notes("aud-01 judges aws:cloudtrail/trail:Trail") is None
    assert ex.parse_notes("exempted by someone: no date") is None


def test_pack_resource_rule_honours_a_valid_exemption_with_the_contract_note():
    from tests.policies.harness import run_resource

    config = {
        "exemptions": [exemption(expires=dt.date.today().isoformat())],
        ex.APPROVERS: ["ciso@example.com"],
    }
    outcome = run_resource(
        ecr_immutable_tags,
        REPOSITORY,
        {"imageTagMutability": "MUTABLE"},
        name="acme-registry-legacy",
        config=config,
    )
    assert outcome.violations == []
    assert ex.parse_notes(outcome.not_applicable or "") is not None


# ---------------------------------------------------------------- the README and the conventional file


def _readme_json_blocks() -> list[str]:
    text = (REPO / "README.md").read_text()
    return re.findall(r"```json\n(.*?)```", text, flags=re.S)


def test_readme_example_config_is_the_conventional_file_and_passes_review():
    conventional = REPO / pc.CONVENTIONAL_PATH
    blocks = [json.loads(b) for b in _readme_json_blocks()]
    assert json.loads(conventional.read_text()) in blocks
    result = review_policy_config(conventional, REPO)
    assert result.findings == ()


def test_readme_exemption_example_is_valid_on_a_day_it_could_have_been_written():
    blocks = [json.loads(b) for b in _readme_json_blocks()]
    with_exemptions = [b for b in blocks if any("exemptions" in v for v in b.values() if isinstance(v, dict))]
    assert with_exemptions, "the README shows an exemption"
    (entry,) = next(v for v in with_exemptions[0].values() if isinstance(v, dict) and "exemptions" in v)[
        "exemptions"
    ]
    written = dt.date.fromisoformat(entry["expires"]) - dt.timedelta(days=60)
    approvers = pc.PlatformExemptions(("ciso@example.com", "security-team@example.com"), 90)
    result = pc.review(with_exemptions[0], "README.md", policies(), approvers, today=written)
    assert result.errors == [] and result.findings == []


def test_pass_type_and_name_pattern_matches_a_resource_nested_in_components():
    (entry,) = ex.parse_exemptions({"exemptions": [exemption()], ex.APPROVERS: ["ciso@example.com"]}, TODAY)
    nested = "urn:pulumi:acme::mlops-landing-zone::a:b:Zone$a:b:Registry$aws:ecr/repository:Repository::"
    assert entry.covers(nested + "acme-registry-legacy")
    assert not entry.covers(nested + "acme-registry-models")
    assert not entry.covers("urn:pulumi:acme::mlops-landing-zone::aws:s3/bucket:Bucket::acme-registry-legacy")
