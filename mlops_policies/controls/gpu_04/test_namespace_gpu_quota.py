"""Cases for `gpu-04-namespace-gpu-quota`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.gpu_04.namespace_gpu_quota import namespace_gpu_quota
from tests.policies.gpu_isolation_fixtures import (
    DEDICATED_GROUP,
    LAUNCH_TEMPLATE,
    MIG_GROUP,
    NAMESPACE,
    NODE_GROUP,
    QUOTA,
)
from tests.policies.harness import UNKNOWN, Res, run_stack


def namespace(name: str) -> Res:
    return Res(NAMESPACE, name, {"metadata": {"name": name, "labels": {"tenant": "acme"}}})


HARD = {"requests.nvidia.com/gpu": "8", "requests.nvidia.com/mig-3g.40gb": "16", "requests.cpu": "64"}


def quota(name: str, ns: str, hard: dict[str, str] | None = None) -> Res:
    return Res(
        QUOTA, name, {"metadata": {"namespace": ns}, "spec": {"hard": dict(HARD if hard is None else hard)}}
    )


QUOTA_STACK = [
    Res(NODE_GROUP, "a100", MIG_GROUP),
    namespace("acme-dev"),
    namespace("acme-prod"),
    quota("dev-quota", "acme-dev"),
    quota("prod-quota", "acme-prod"),
]


def test_pass_every_namespace_bounds_gpus_and_mig_slices():
    assert run_stack(namespace_gpu_quota, QUOTA_STACK).passed


def test_fail_namespace_without_quota():
    outcome = run_stack(namespace_gpu_quota, QUOTA_STACK[:4])
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' has no ResourceQuota spec.hard requests.nvidia.com/gpu, "
        "requests.nvidia.com/mig-3g.40gb; required: requests.nvidia.com/gpu, requests.nvidia.com/mig-3g.40gb"
    ]
    assert outcome.urns == ["urn:pulumi:acme::mlops-landing-zone::kubernetes:core/v1:Namespace::acme-prod"]


def test_fail_quota_without_the_mig_profile_of_the_stacks_layout():
    stack = [*QUOTA_STACK[:4], quota("prod-quota", "acme-prod", {"requests.nvidia.com/gpu": "8"})]
    assert run_stack(namespace_gpu_quota, stack).violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' has no ResourceQuota spec.hard "
        "requests.nvidia.com/mig-3g.40gb; required: requests.nvidia.com/gpu, requests.nvidia.com/mig-3g.40gb"
    ]


def test_pass_without_mig_groups_only_whole_gpus_are_bounded():
    stack = [
        Res(NODE_GROUP, "h100", DEDICATED_GROUP),
        namespace("acme-dev"),
        quota("q", "acme-dev", {"requests.nvidia.com/gpu": "8"}),
    ]
    assert run_stack(namespace_gpu_quota, stack).passed


def test_fail_scoped_quota_does_not_bound_every_pod():
    scoped = quota("prod-quota", "acme-prod")
    scoped.props["spec"]["scopes"] = ["BestEffort"]  # type: ignore[index]
    outcome = run_stack(namespace_gpu_quota, [*QUOTA_STACK[:4], scoped])
    assert outcome.violations
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-prod' has no ResourceQuota spec.hard "
        "requests.nvidia.com/gpu, requests.nvidia.com/mig-3g.40gb; required: "
        "requests.nvidia.com/gpu, requests.nvidia.com/mig-3g.40gb",
    ]


def test_pass_first_preview_quota_found_through_its_namespace_dependency():
    auto_named = Res(NAMESPACE, "acme-prod", {"metadata": {"labels": {"tenant": "acme"}}})
    pending = Res(
        QUOTA,
        "prod-quota",
        {"metadata": {"namespace": UNKNOWN}, "spec": {"hard": HARD}},
        prop_deps={"metadata": ["acme-prod"]},
    )
    assert run_stack(
        namespace_gpu_quota, [*QUOTA_STACK[:2], quota("dev-quota", "acme-dev"), auto_named, pending]
    ).passed


def test_undecided_quota_namespace_unknown_without_dependency_information():
    pending = Res(QUOTA, "prod-quota", {"metadata": {"namespace": UNKNOWN}, "spec": {"hard": HARD}})
    outcome = run_stack(namespace_gpu_quota, [*QUOTA_STACK[:4], pending])
    assert outcome.violations == []
    assert outcome.undecided is not None and "Namespace 'acme-prod'" in outcome.undecided


def _typed_by_template(hard: dict[str, str]) -> list[Res]:
    """The MIG pool names no instance type: its launch template's p4de.24xlarge exposes 3g.40gb slices."""
    group = {k: v for k, v in MIG_GROUP.items() if k != "instanceTypes"}
    return [
        Res(LAUNCH_TEMPLATE, "gpu-template", {"instanceType": "p4de.24xlarge"}),
        Res(NODE_GROUP, "a100", group, prop_deps={"launchTemplate": ["gpu-template"]}),
        namespace("acme-dev"),
        quota("dev-quota", "acme-dev", hard),
    ]


def test_fail_quota_without_the_mig_profile_of_a_pool_typed_by_its_launch_template():
    outcome = run_stack(namespace_gpu_quota, _typed_by_template({"requests.nvidia.com/gpu": "8"}))
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'acme-dev' has no ResourceQuota spec.hard "
        "requests.nvidia.com/mig-3g.40gb; required: requests.nvidia.com/gpu, requests.nvidia.com/mig-3g.40gb"
    ]


def test_pass_quota_with_the_mig_profile_of_a_pool_typed_by_its_launch_template():
    assert run_stack(namespace_gpu_quota, _typed_by_template(HARD)).passed


def test_undecided_mig_pool_whose_launch_template_cannot_be_found_in_a_first_preview():
    stack = _typed_by_template({"requests.nvidia.com/gpu": "8"})
    stack[1] = Res(NODE_GROUP, "a100", stack[1].props)
    outcome = run_stack(namespace_gpu_quota, stack)
    assert outcome.violations == []
    assert outcome.undecided == (
        "aws:eks/nodeGroup:NodeGroup 'a100': launchTemplate id/name is unknown and has no dependency "
        "information"
    )
