"""The split deployment: the AWS part and the Kubernetes part together are exactly the landing zone.

Each part is recorded as its own project would run it (deploy/aws, deploy/in-cluster), then judged by
both packs as that project's stack (PULUMI_PROJECT): every policy decides, nothing blocks, and a
break in either part is still caught there.
"""

from __future__ import annotations

import os
import runpy
from functools import cache
from pathlib import Path

import pytest
import yaml

from landingzone.parts import AWS_PROJECT, KUBERNETES_PROJECT, ROOT_PROJECT
from tenantctl.program import ProgramRun, pulumi_config, record_program
from tests.policies.inprocess import evaluate, mandatory_violations, mutated, undecided

PROJECT = Path(__file__).resolve().parents[2]
STACKS = ["acme", "globex", "initech"]
ENTRY = {
    ROOT_PROJECT: PROJECT / "__main__.py",
    AWS_PROJECT: PROJECT / "deploy" / "aws" / "__main__.py",
    KUBERNETES_PROJECT: PROJECT / "deploy" / "in-cluster" / "__main__.py",
}


@cache
def part(stack: str, project: str) -> ProgramRun:
    config, secret_keys = pulumi_config(PROJECT, stack)
    main = str(ENTRY[project])
    return record_program(
        lambda: runpy.run_path(main, run_name="__main__"),
        stack,
        config,
        secret_keys,
        preview=True,
        project=project,
    )


def _identities(run: ProgramRun) -> set[tuple[str, str]]:
    return {(r.type, r.name) for r in run.resources}


@pytest.mark.parametrize("project", [AWS_PROJECT, KUBERNETES_PROJECT])
def test_each_deploy_project_names_itself_and_reads_the_shared_stack_files(project):
    directory = ENTRY[project].parent
    document = yaml.safe_load((directory / "Pulumi.yaml").read_text())
    assert document["name"] == project
    assert (directory / document["stackConfigDir"]).resolve() == PROJECT / "stacks"
    venv = os.path.normpath(directory / document["runtime"]["options"]["virtualenv"])
    assert venv == str(PROJECT / ".venv")


@pytest.mark.parametrize("stack", STACKS)
def test_the_two_parts_register_exactly_the_whole_landing_zone_between_them(stack):
    whole = _identities(part(stack, ROOT_PROJECT))
    aws, kubernetes = _identities(part(stack, AWS_PROJECT)), _identities(part(stack, KUBERNETES_PROJECT))
    assert aws | kubernetes == whole
    # Only the component wrappers appear in both (parents of the two halves' children).
    assert {t for t, _name in aws & kubernetes} <= {
        "mlops:landingzone:TenantLandingZone",
        "mlops:landingzone:TenantWorkspace",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_the_aws_part_never_needs_the_cluster_endpoint_and_the_kubernetes_part_only_does(stack):
    aws = part(stack, AWS_PROJECT).resources
    kubernetes = part(stack, KUBERNETES_PROJECT).resources
    assert not [r.type for r in aws if r.type.startswith(("kubernetes:", "pulumi:providers:kubernetes"))]
    custom = {r.type.split(":")[0] for r in kubernetes if r.custom}
    assert custom == {"kubernetes", "pulumi"}  # the objects and their provider
    assert {r.type for r in kubernetes if r.type.startswith("pulumi:")} == {"pulumi:providers:kubernetes"}


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("project", [AWS_PROJECT, KUBERNETES_PROJECT])
def test_the_packs_judge_each_part_clean_and_decided_in_a_first_preview(stack, project):
    results = evaluate(part(stack, project))
    assert [(d.policy, d.message) for d in mandatory_violations(results)] == []
    assert [(d.policy, d.message) for d in undecided(results)] == []


def test_on_a_part_stack_policies_relating_both_halves_stand_down_with_the_reason():
    results = evaluate(part("acme", AWS_PROJECT))
    reasons = {na.policy: na.reason for r in results for na in r.not_applicable}
    assert reasons["ten-05-environment-workload-role"] == (
        "ten-05-environment-workload-role relates resources of both halves of the landing zone; this "
        "stack holds the aws half only, so the PR gate judges it on the whole program"
    )
    # Kubernetes-only stack policies stand down on the AWS half; AWS-only ones keep judging it.
    assert "ten-05-environment-namespaces" in reasons
    assert "aud-01-trail-exists" not in reasons


def test_a_break_in_the_kubernetes_part_is_caught_on_that_part():
    run = part("acme", KUBERNETES_PROJECT)
    broken = mutated(
        run,
        "networking.k8s.io/v1:NetworkPolicy",
        "acme-workspace-dev-default-deny",
        lambda p: p["spec"].update(policyTypes=["Ingress"]),
    )
    policies = {d.policy for d in mandatory_violations(evaluate(broken))}
    assert "ten-05-environment-quota-and-network-policy" in policies


def test_a_break_in_the_aws_part_is_caught_on_that_part():
    run = part("globex", AWS_PROJECT)
    broken = mutated(
        run, "eks/podIdentityAssociation:PodIdentityAssociation", "globex-workspace-dev-pod-identity",
        lambda p: p.update(disableSessionTags=True),
    )  # fmt: skip
    assert "sec-06-pod-identity-session-tags" in {d.policy for d in mandatory_violations(evaluate(broken))}
