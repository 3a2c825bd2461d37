"""Both packs, started exactly as the Pulumi CLI starts them, answer the analyzer protocol over gRPC."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from mlops_policies.membership import load
from mlops_policies.packs import BASELINE_PACK, REGULATED_PACK, pack_rules
from tenantctl.analyzer import PolicyConfigError, analyze, pack_server, policy_facts
from tenantctl.program import ProgramRun, record_stack

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
PACKS = PROJECT / "policy_packs"


@cache
def run_of(stack: str, preview: bool = True) -> ProgramRun:
    return record_stack(PROJECT, stack, preview=preview)


@pytest.mark.parametrize("pack", [BASELINE_PACK, REGULATED_PACK])
def test_pack_starts_and_describes_every_policy_as_mandatory_with_its_control(pack):
    with pack_server(PACKS / pack, run_of("acme")) as (stub, _engine):
        info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=60)
    assert info.name == pack
    assert [p.name for p in info.policies] == [r.name for r in pack_rules(pack)]
    # Over the wire too, the gate reads back exactly the facts each rule declares.
    assert policy_facts(info) == [r.facts for r in pack_rules(pack)]
    # What the pack serves is what policy_packs/membership.csv pins: policy, control, severity.
    served = sorted(
        (
            p.name,
            p.framework.reference,
            analyzer_pb2.PolicySeverity.Name(p.severity).removeprefix("POLICY_SEVERITY_"),
        )
        for p in info.policies
    )
    assert served == [(m.policy, m.control, m.severity.upper()) for m in load() if m.pack == pack]
    for policy in info.policies:
        assert policy.enforcementLevel == analyzer_pb2.MANDATORY
        assert policy.framework.name == "mlops-hoster-checklist"
        assert policy.name.startswith(policy.framework.reference.lower() + "-")
        assert "exemptions" in policy.configSchema.properties


def test_analyze_and_analyze_stack_over_grpc_block_a_violating_resource():
    run = run_of("acme")
    with pack_server(PACKS / BASELINE_PACK, run) as (stub, _engine):
        stub.Configure(analyzer_pb2.ConfigureAnalyzerRequest(), timeout=60)
        properties = struct_pb2.Struct()
        properties.update(
            {"name": "acme/legacy", "imageTagMutability": "MUTABLE", "tags": {"tenant": "acme"}}
        )
        response = stub.Analyze(
            analyzer_pb2.AnalyzeRequest(
                type="aws:ecr/repository:Repository",
                properties=properties,
                urn="urn:pulumi:acme::mlops-landing-zone::aws:ecr/repository:Repository::legacy",
                name="legacy",
            ),
            timeout=60,
        )
        stack_response = stub.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=[]), timeout=60)
    messages = {d.policyName: d.message for d in response.diagnostics}
    assert messages["prov-03-ecr-immutable-tags"].endswith(
        "aws:ecr/repository:Repository 'legacy' has imageTagMutability 'MUTABLE'; required: 'IMMUTABLE'"
    )
    assert {d.enforcementLevel for d in response.diagnostics} == {analyzer_pb2.MANDATORY}
    # An empty stack has no trail, no flow logs for nothing: the trail control must still fire.
    assert "aud-01-trail-exists" in {d.policyName for d in stack_response.diagnostics}


@pytest.mark.parametrize("stack", ["acme", "globex", "initech"])
def test_example_stack_first_preview_is_clean_over_grpc(stack):
    run = run_of(stack)
    packs = [BASELINE_PACK, REGULATED_PACK] if stack == "globex" else [BASELINE_PACK]
    for pack in packs:
        result = analyze(PACKS / pack, run)
        mandatory = [d for d in result.diagnostics if d.enforcement == "mandatory"]
        assert [(d.policy, d.message) for d in mandatory] == []


def test_regulated_pack_is_not_applicable_to_a_standard_tenant():
    result = analyze(PACKS / REGULATED_PACK, run_of("acme"))
    assert result.diagnostics == []
    # Resource rules first skip resource types they do not judge; the rest say why they stand down.
    reasons = {na.reason for na in result.not_applicable if " judges " not in na.reason}
    assert reasons == {
        "PROV-02 applies to regulated tenants; tenant acme is standard",
        *(f"{c} applies to regulated tenants; tenant acme is standard" for c in
          ("PROV-04", "PROV-05", "SEC-08", "GPU-03", "AUD-06", "AUD-07")),
    }  # fmt: skip


def test_policy_config_thresholds_reach_the_policies_through_configure():
    # Raising the registry minimum above the stack's 30 days must now block the stack.
    result = analyze(
        PACKS / BASELINE_PACK,
        run_of("acme"),
        {"prov-01-registry-default-retention": {"minRegistryRetentionDays": 90}},
    )
    assert "prov-01-registry-default-retention" in {
        d.policy for d in result.diagnostics if d.enforcement == "mandatory"
    }


def test_exemption_in_policy_config_is_honoured_and_reported():
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    config = {
        "sec-01-kms-key-rotation": {
            "exemptions": [{"urn": "*::aws:kms/key:Key::acme-keys-data", "reason": "HSM-backed",
                            "approver": "ciso", "expires": expires}],
            "exemptionApprovers": ["ciso"],
        }
    }  # fmt: skip
    result = analyze(PACKS / BASELINE_PACK, run_of("acme"), config)
    assert f"exempted by ciso until {expires}: HSM-backed" in {na.reason for na in result.not_applicable}


def test_published_pack_schema_refuses_a_threshold_looser_than_the_catalog():
    # The Pulumi CLI validates policy config against the schema: the catalog floor is its minimum.
    with pytest.raises(PolicyConfigError, match="1 is less than the minimum of 30"):
        analyze(
            PACKS / BASELINE_PACK,
            run_of("acme"),
            {"prov-01-registry-default-retention": {"minRegistryRetentionDays": 1}},
        )


def test_policy_config_that_breaks_the_schema_is_refused():
    with pytest.raises(PolicyConfigError, match="prov-01-registry-default-retention"):
        analyze(
            PACKS / BASELINE_PACK,
            run_of("acme"),
            {"prov-01-registry-default-retention": {"minRegistryRetentionDays": "ninety"}},
        )


def test_policy_config_naming_an_unknown_policy_is_refused():
    with pytest.raises(PolicyConfigError, match="no-such-policy"):
        analyze(PACKS / BASELINE_PACK, run_of("acme"), {"no-such-policy": "advisory"})
