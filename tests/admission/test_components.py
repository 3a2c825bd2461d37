"""TenantAdmission and TenantAccess as the landing zone registers them (Pulumi SDK mock engine)."""

from __future__ import annotations

from dataclasses import replace

import pulumi
import pulumi_kubernetes as k8s
import pytest

from components.access import EDIT_POLICY, VIEW_POLICY
from components.admission import TenantAdmission, TenantAdmissionArgs
from components.incident import DENY_ALL_POLICY
from landingzone.admission import AdmissionSettings, settings_from_stack
from landingzone.admission.policies import PLATFORM_NETWORK_POLICIES
from landingzone.config import ConfigError, load_stack, parse_settings, read_stack_config, stack_file
from tests.admission.layers import PROJECT, stack_policies
from tests.components.recording import Recording, depends_on, record
from tests.components.scenarios import recorded

VAP = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy"
VAPB = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"


@pytest.fixture(scope="module")
def acme() -> Recording:
    return recorded("zone-acme")


def test_every_generated_policy_and_binding_is_registered_exactly_as_generated(acme: Recording) -> None:
    policies = {r.inputs["metadata"]["name"]: r for r in acme.of_type(VAP)}
    bindings = {r.inputs["metadata"]["name"]: r for r in acme.of_type(VAPB)}
    generated = {p.name: p for p in stack_policies("acme")}
    assert set(policies) == set(bindings) == set(generated)
    for name, policy in generated.items():
        assert policies[name].inputs == policy.manifest()
        assert bindings[name].inputs == policy.binding_manifest()
        assert depends_on(bindings[name], policies[name])


def test_admission_objects_are_children_of_the_component_named_after_it(acme: Recording) -> None:
    component = acme.named("acme-admission")
    assert component.type == "mlops:landingzone:TenantAdmission"
    children = acme.children_of(component.urn)
    assert len(children) == 16
    assert all(c.name.startswith("acme-admission-") for c in children)
    assert acme.named("acme-admission-gpu-06-gpu-on-tenant-nodes-policy").type == VAP


def test_the_guardrail_names_every_network_policy_the_platform_registers(acme: Recording) -> None:
    registered = {r.inputs["metadata"]["name"] for r in acme.of_type(NETWORK_POLICY)}
    assert registered == {"default-deny"}
    assert set(PLATFORM_NETWORK_POLICIES) == {"default-deny", DENY_ALL_POLICY}


def test_invalid_admission_settings_are_refused_with_every_problem_at_once() -> None:
    settings = replace(
        _acme_settings(), namespaces=("globex-dev",), repositories=(), egress_allowlist=("0.0.0.0/0", "nope")
    )
    errors: list[pulumi.InputPropertiesError] = []

    def build() -> None:
        provider = k8s.Provider("fixture-k8s", kubeconfig="{}")
        try:
            TenantAdmission("acme-admission", TenantAdmissionArgs(settings=settings, provider=provider))
        except pulumi.InputPropertiesError as error:
            errors.append(error)

    recording = record(build)
    assert not recording.of_type(VAP)
    (error,) = errors
    assert [(e["property_path"], e["reason"]) for e in error.errors] == [
        ("settings.namespaces", "['globex-dev'] do not start with 'acme-'; required: <tenant>-<environment>"),
        ("settings.repositories", "required: at least one ECR repository, or no image could be admitted"),
        ("settings.egress_allowlist", "'0.0.0.0/0' opens every address; required: a narrower CIDR"),
        ("settings.egress_allowlist", "'nope' is not a CIDR"),
    ]


def _acme_settings() -> AdmissionSettings:
    return settings_from_stack(load_stack(PROJECT, "acme"))


# ---------------------------------------------------------------- access by duty


def test_each_duty_gets_a_namespace_scoped_access_policy_on_its_environments(acme: Recording) -> None:
    associations = {
        r.inputs["principalArn"].rsplit("/", 1)[-1]: r.inputs
        for r in acme.of_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    }
    assert associations["acme-developers"]["policyArn"] == EDIT_POLICY
    assert associations["acme-developers"]["accessScope"] == {
        "type": "namespace",
        "namespaces": ["acme-dev", "acme-train"],
    }
    assert associations["acme-ci-deploy"]["policyArn"] == EDIT_POLICY
    assert associations["acme-ci-deploy"]["accessScope"] == {"type": "namespace", "namespaces": ["acme-prod"]}
    assert associations["acme-approvers"]["policyArn"] == VIEW_POLICY
    assert associations["acme-approvers"]["accessScope"]["namespaces"] == [
        "acme-dev",
        "acme-train",
        "acme-prod",
    ]
    assert associations["platform-admin"]["accessScope"] == {"type": "cluster"}


def test_access_entries_are_standard_tagged_children_of_tenant_access(acme: Recording) -> None:
    component = acme.named("acme-access")
    entries = [r for r in acme.children_of(component.urn) if r.type == "aws:eks/accessEntry:AccessEntry"]
    assert sorted(e.name for e in entries) == ["acme-access-approver-0-entry", "acme-access-deployer-0-entry",
                                               "acme-access-developer-0-entry"]  # fmt: skip
    for entry in entries:
        assert entry.inputs["type"] == "STANDARD"
        assert entry.inputs["tags"]["tenant"] == "acme"


def _config(access: dict[str, list[str]], environments: list[str] | None = None) -> dict[str, object]:
    config = read_stack_config(stack_file(PROJECT, "acme"))
    tenant = dict(config["landingzone:tenant"])  # type: ignore[arg-type]
    tenant["access"] = access
    if environments is not None:
        tenant["environments"] = environments
    return {**config, "landingzone:tenant": tenant}


DEV = "arn:aws:iam::111122223333:role/acme-developers"


@pytest.mark.parametrize(
    ("access", "environments", "problem"),
    [
        (
            {"developer": [DEV], "deployer": [DEV]},
            None,
            f"{DEV} is both developer and deployer; required: one duty per identity",
        ),
        (
            {"developer": ["arn:aws:iam::111122223333:role/acme-dev-workload"]},
            None,
            "access.developer: arn:aws:iam::111122223333:role/acme-dev-workload is a workload/node role; "
            "required: a human or CI role",
        ),
        (
            {"approver": ["arn:aws:iam::111122223333:role/platform-admin"]},
            None,
            "landingzone:tenant.access.approver: the platform admin role cannot be a tenant identity",
        ),
        (
            {"deployer": [DEV]},
            ["dev", "train"],
            "access.deployer needs one of the environments ['prod', 'staging']",
        ),
        ({"developer": ["acme-developers"]}, None, "is not allowed: an IAM role ARN"),
    ],
)
def test_access_config_that_breaks_separation_of_duties_is_refused(
    access: dict[str, list[str]], environments: list[str] | None, problem: str
) -> None:
    with pytest.raises(ConfigError) as error:
        parse_settings("acme", _config(access, environments), "stacks/Pulumi.acme.yaml")
    assert any(problem in p for p in error.value.problems), error.value.problems
