"""A quarantined landing zone (landingzone:incident): the program adds session revocation, deny-all
network policies, the GPU NoSchedule taint and read-only responders, and changes nothing that holds
evidence."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pytest

from components import TenantLandingZone, TenantLandingZoneArgs
from components.incident import IncidentControls, IncidentControlsArgs
from landingzone.config import ConfigError, parse_settings
from landingzone.parts import DeployPart
from tests.components.recording import Recording, property_errors, record, refused, tenant_context
from tests.components.scenarios import ZONE_CONFIGS

SINCE = "2026-12-02T00:15:00Z"
RESPONDER = "arn:aws:iam::111122223333:role/incident-responder"
EVIDENCE_TYPES = (
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:cloudtrail/trail:Trail",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:kms/key:Key",
    "aws:kms/alias:Alias",
    "aws:ecr/repository:Repository",
)


def incident(**overrides: Any) -> dict[str, Any]:
    return {
        "state": "quarantined",
        "ticket": "INC-42",
        "reason": "leaked hf token",
        "since": SINCE,
        "responder_role_arns": [RESPONDER],
        "evidence": {
            "buckets": [],
            "log_groups": [],
            "repositories": [],
            "trails": [],
            "key_aliases": [],
            "audit_retention_days": 365,
            "registry_retention_days": 30,
            "log_retention_days": 90,
            "artifact_retention_days": 180,
        },
        "original_sha256": "0" * 64,
        "original_stack_file": "b3JpZ2luYWw=",
        **overrides,
    }


def zone(block: dict[str, Any] | None) -> Recording:
    config = dict(ZONE_CONFIGS["acme"])
    if block is not None:
        config["landingzone:incident"] = block
    settings = parse_settings("acme", config, "tests/components (acme)")
    account = config["landingzone:platform"]["account_id"]
    return record(
        lambda: TenantLandingZone("acme", TenantLandingZoneArgs(stack_config=settings)),
        stack="acme",
        region=config["aws:region"],
        account_id=account,
    )


@pytest.fixture(scope="module")
def normal() -> Recording:
    return zone(None)


@pytest.fixture(scope="module")
def quarantined() -> Recording:
    return zone(incident())


def environments() -> list[str]:
    return list(ZONE_CONFIGS["acme"]["landingzone:tenant"]["environments"])


def test_every_workload_role_gets_a_deny_for_sessions_issued_before_the_quarantine(
    quarantined: Recording,
) -> None:
    for env in environments():
        policy = quarantined.named(f"acme-incident-{env}-revoke-sessions")
        assert json.loads(policy.inputs["policy"]) == {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "RevokeSessionsIssuedBeforeQuarantine",
                    "Effect": "Deny",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"DateLessThan": {"aws:TokenIssueTime": SINCE}},
                }
            ],
        }
        role = quarantined.named(f"acme-workspace-{env}-workload-role")
        assert policy.property_dependencies["role"] == [role.urn]


def test_every_namespace_denies_all_traffic_dns_included(quarantined: Recording) -> None:
    for env in environments():
        deny_all = quarantined.named(f"acme-incident-{env}-deny-all")
        assert deny_all.inputs["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        assert deny_all.inputs["metadata"]["labels"]["landingzone/incident"] == "INC-42"
        default = quarantined.named(f"acme-workspace-{env}-default-deny")
        assert default.inputs["spec"]["egress"] == []


def test_gpu_pools_stop_scheduling_without_evicting_or_scaling_down(
    normal: Recording, quarantined: Recording
) -> None:
    groups = [g for g in quarantined.of_type("aws:eks/nodeGroup:NodeGroup") if g.name.startswith("acme-gpu-")]
    assert groups
    for group in groups:
        assert {
            "key": "landingzone/incident",
            "value": "quarantined",
            "effect": "NO_SCHEDULE",
        } in group.inputs["taints"]
        assert group.inputs["scalingConfig"] == normal.named(group.name).inputs["scalingConfig"]


def test_responders_get_read_only_cluster_access(quarantined: Recording) -> None:
    association = quarantined.named("acme-incident-responder-0-view")
    assert (association.inputs["principalArn"], association.inputs["policyArn"]) == (
        RESPONDER,
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
    )
    assert association.inputs["accessScope"] == {"type": "cluster"}


def test_nothing_that_holds_evidence_changes_under_quarantine(
    normal: Recording, quarantined: Recording
) -> None:
    def evidence(recording: Recording) -> dict[str, Any]:
        return {r.urn: r.inputs for r in recording.resources if r.type in EVIDENCE_TYPES}

    assert evidence(quarantined) == evidence(normal)
    assert {r.urn for r in normal.resources} <= {r.urn for r in quarantined.resources}


def test_a_bad_incident_block_is_refused_naming_each_field() -> None:
    config = {**ZONE_CONFIGS["acme"], "landingzone:incident": incident(ticket="INC 42!", since="yesterday")}

    with pytest.raises(ConfigError) as refused:
        parse_settings("acme", config, "stacks/Pulumi.acme.yaml")

    assert refused.value.problems == [
        "landingzone:incident.ticket: 'INC 42!' is not allowed: 1-63 of A-Z, a-z, 0-9, '.', '_' and '-', "
        "starting and ending alphanumeric (it becomes a label)",
        "landingzone:incident.since: 'yesterday' is not allowed: UTC as YYYY-MM-DDTHH:MM:SSZ",
    ]


@pytest.mark.parametrize("part", [DeployPart.AWS, DeployPart.KUBERNETES])
def test_a_quarantined_tenant_is_refused_as_one_half_of_a_split_deployment(part: DeployPart) -> None:
    config = {**ZONE_CONFIGS["acme"], "landingzone:incident": incident()}
    settings = parse_settings("acme", config, "tests/components (acme)")
    kubeconfig = "{}" if part is DeployPart.KUBERNETES else None
    args = TenantLandingZoneArgs(stack_config=settings, part=part, kubeconfig=kubeconfig)

    assert property_errors(refused(lambda: TenantLandingZone("acme", args))) == [
        (
            "part",
            "tenant acme is quarantined (landingzone:incident): apply it with the root project from the "
            "tenant's in-VPC runner, not as the aws or kubernetes part alone",
        )
    ]


def test_every_landing_zone_args_problem_is_named_at_once_with_its_property_path() -> None:
    config = {**ZONE_CONFIGS["acme"], "landingzone:incident": incident()}
    settings = parse_settings("acme", config, "tests/components (acme)")
    args = TenantLandingZoneArgs(stack_config=settings, part=DeployPart.AWS, kubeconfig="{}")

    error = refused(lambda: TenantLandingZone("acme", args))

    assert [path for path, _ in property_errors(error)] == ["kubeconfig", "part"]
    assert property_errors(error)[0] == (
        "kubeconfig",
        "only allowed with part kubernetes; part aws uses its own cluster's",
    )
    assert str(error).startswith(
        "TenantLandingZone acme: invalid args: kubeconfig: only allowed with part kubernetes"
    )


def test_the_kubernetes_part_without_a_kubeconfig_is_refused() -> None:
    settings = parse_settings("acme", dict(ZONE_CONFIGS["acme"]), "tests/components (acme)")
    args = TenantLandingZoneArgs(stack_config=settings, part=DeployPart.KUBERNETES)

    assert property_errors(refused(lambda: TenantLandingZone("acme", args))) == [
        ("kubeconfig", "required for part kubernetes (from the AWS stack's outputs)")
    ]


def test_every_incident_controls_problem_is_named_at_once_with_its_property_path() -> None:
    def build() -> None:
        provider = k8s.Provider("fixture-k8s", kubeconfig="{}")
        role = aws.iam.Role("fixture-dev-role", assume_role_policy="{}")
        namespace = k8s.core.v1.Namespace(
            "fixture-prod-namespace", opts=pulumi.ResourceOptions(provider=provider)
        )
        IncidentControls(
            "acme-incident",
            IncidentControlsArgs(
                tenant=tenant_context(),
                ticket="INC-42",
                since="2026-12-02T00:15:00+01:00",
                workload_roles={"dev": role},
                namespaces={"prod": namespace},
                provider=provider,
                cluster_name="acme-cluster",
            ),
        )

    assert property_errors(refused(build)) == [
        ("since", "'2026-12-02T00:15:00+01:00' must be UTC (YYYY-MM-DDTHH:MM:SSZ)"),
        (
            "namespaces",
            "environments ['prod'] differ from workload_roles' ['dev']; required: the same environments",
        ),
    ]
