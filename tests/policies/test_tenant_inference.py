"""TEN-02 class 7: tenants told by structure (ECR and S3 hosts, ARNs, the fleet list), not by words.

One compliant workload, one change per failing case; the fleet cases set landingzone:platform.tenants.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mlops_policies import aws_names
from mlops_policies.packs import all_rules
from tests.policies import harness
from tests.policies.harness import PLATFORM, changed, run_resource

no_other_tenant_references = {rule.name: rule for rule in all_rules()}["ten-02-no-other-tenant-references"]

JOB = "kubernetes:batch/v1:Job"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
OWN_IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/trainer@sha256:" + "a" * 64
GLOBEX_IMAGE_PATH = "/globex/models@sha256:" + "b" * 64
JOB_PROPS: dict[str, Any] = {
    "metadata": {"name": "import-dataset", "namespace": "acme-train", "labels": {"tenant": "acme"}},
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "refresh-checkpoint",
                        "image": OWN_IMAGE,
                        "env": [{"name": "DATA_URL", "value": "s3://acme-dataset-111122223333/train/"}],
                    }
                ]
            }
        }
    },
}
ENV_VALUE = "spec.template.spec.containers.0.env.0.value"
REQUIRED = "required: only tenant 'acme' or platform resources"
FLEET = {**PLATFORM, "tenants": ["acme", "acme-labs", "globex", "initech"]}


@pytest.fixture
def fleet(monkeypatch: pytest.MonkeyPatch) -> None:
    original = harness.set_tenant
    monkeypatch.setattr(harness, "set_tenant", lambda tenant: original(tenant, FLEET))


def test_pass_generic_verbs_in_a_workloads_own_name_and_its_container_name():
    assert run_resource(no_other_tenant_references, JOB, JOB_PROPS).passed


def test_fail_another_tenants_bucket_through_a_virtual_hosted_url_in_an_env_value():
    url = "https://globex-dataset-444455556666.s3.eu-central-1.amazonaws.com/train/part-0.parquet"
    outcome = run_resource(no_other_tenant_references, JOB, changed(JOB_PROPS, ENV_VALUE, url))
    assert outcome.violations == [
        f"{JOB} 'subject' has spec.template.spec.containers[0].env[0].value referring to tenant 'globex' (a "
        f"name ending in '-dataset'); {REQUIRED}"
    ]


def test_fail_another_tenants_bucket_through_a_path_style_url():
    url = "https://s3.dualstack.eu-central-1.amazonaws.com/globex-checkpoint/run-1/"
    outcome = run_resource(no_other_tenant_references, JOB, changed(JOB_PROPS, ENV_VALUE, url))
    assert outcome.violations == [
        f"{JOB} 'subject' has spec.template.spec.containers[0].env[0].value referring to tenant 'globex' (a "
        f"name ending in '-checkpoint'); {REQUIRED}"
    ]


def test_fail_another_tenants_image_through_the_fips_registry_endpoint():
    image = "444455556666.dkr.ecr-fips.us-east-1.amazonaws.com" + GLOBEX_IMAGE_PATH
    outcome = run_resource(
        no_other_tenant_references, JOB, changed(JOB_PROPS, "spec.template.spec.containers.0.image", image)
    )
    assert outcome.violations == [
        f"{JOB} 'subject' has spec.template.spec.containers[0].image referring to tenant 'globex' (a tenant "
        f"path segment); {REQUIRED}"
    ]


def test_fail_another_tenants_image_through_the_dual_stack_registry_endpoint():
    image = "444455556666.dkr-ecr.us-east-1.on.aws" + GLOBEX_IMAGE_PATH
    outcome = run_resource(
        no_other_tenant_references, JOB, changed(JOB_PROPS, "spec.template.spec.containers.0.image", image)
    )
    assert outcome.violations == [
        f"{JOB} 'subject' has spec.template.spec.containers[0].image referring to tenant 'globex' (a tenant "
        f"path segment); {REQUIRED}"
    ]


OWN_POLICY = {"name": "refresh-model-registry", "role": "acme-train-workload", "policy": "{}"}


def test_pass_fleet_known_a_generic_word_before_a_purpose_is_no_tenant(fleet: None):
    props = {**OWN_POLICY, "policy": '{"Statement": [{"Resource": "arn:aws:s3:::import-dataset/*"}]}'}
    assert run_resource(no_other_tenant_references, ROLE_POLICY, props).passed


def test_fail_fleet_known_a_role_of_another_tenant_with_any_suffix(fleet: None):
    props = {**OWN_POLICY, "role": "arn:aws:iam::444455556666:role/globex-trainer"}
    assert run_resource(no_other_tenant_references, ROLE_POLICY, props).violations == [
        f"{ROLE_POLICY} 'subject' has role referring to tenant 'globex' (a name of fleet tenant 'globex'); "
        f"{REQUIRED}"
    ]


def test_fail_fleet_known_a_sibling_tenant_whose_id_starts_with_the_tenants(fleet: None):
    props = {**OWN_POLICY, "role": "acme-labs-workload"}
    assert run_resource(no_other_tenant_references, ROLE_POLICY, props).violations == [
        f"{ROLE_POLICY} 'subject' has role referring to tenant 'acme-labs' (a name of fleet tenant "
        f"'acme-labs'); {REQUIRED}"
    ]


def test_pass_role_suffix_outside_the_purpose_list_is_unknowable_without_the_fleet():
    props = {**OWN_POLICY, "role": "arn:aws:iam::444455556666:role/globex-trainer"}
    assert run_resource(no_other_tenant_references, ROLE_POLICY, props).passed


# ---------------------------------------------------------------- the parsers


@pytest.mark.parametrize(
    ("url", "bucket"),
    [
        ("https://b-1.s3.amazonaws.com/k", "b-1"),
        ("https://b-1.s3.us-west-2.amazonaws.com/k", "b-1"),
        ("http://b-1.s3-us-west-2.amazonaws.com/k", "b-1"),
        ("https://b.with.dots.s3.dualstack.us-west-2.amazonaws.com/k", "b.with.dots"),
        ("https://b-1.s3-fips.us-gov-west-1.amazonaws.com/k", "b-1"),
        ("https://b-1.s3-accelerate.amazonaws.com/k", "b-1"),
        ("https://b-1.s3.cn-north-1.amazonaws.com.cn/k", "b-1"),
        ("https://b-1.vpce-0a1b2c.s3.us-east-1.vpce.amazonaws.com/k", "b-1"),
        ("https://s3.us-west-2.amazonaws.com/b-1/k", "b-1"),
        ("s3://b-1/k", "b-1"),
        ("https://example.com/b-1", None),
        ("https://sts.us-east-1.amazonaws.com/", None),
    ],
)
def test_s3_urls_are_parsed_by_host_structure(url: str, bucket: str | None):
    assert aws_names.s3_bucket(url) == bucket


def test_ecr_images_are_found_in_longer_text_with_fips_and_dual_stack_hosts():
    text = (
        "docker pull 444455556666.dkr.ecr-fips.us-east-1.amazonaws.com/globex/models:1 && "
        "docker pull 763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.3 && "
        "docker pull 444455556666.dkr-ecr.eu-west-1.on.aws/globex/eval@sha256:00"
    )
    assert [(i.account, i.region, i.repository, i.fips) for i in aws_names.ecr_images(text)] == [
        ("444455556666", "us-east-1", "globex/models", True),
        ("763104351884", "us-west-2", "pytorch-training", False),
        ("444455556666", "eu-west-1", "globex/eval", False),
    ]


def test_the_compliant_job_stays_compliant_with_the_fleet_known(fleet: None):
    assert run_resource(no_other_tenant_references, JOB, copy.deepcopy(JOB_PROPS)).passed


# ---------------------------------------------------------------- TEN-03 through a NamespacePatch

namespace_restricted_pod_security = {r.name: r for r in all_rules()}[
    "ten-03-namespace-restricted-pod-security"
]
NAMESPACE_PATCH = "kubernetes:core/v1:NamespacePatch"


def test_pass_namespace_patch_that_leaves_the_enforce_label_alone():
    props = {"metadata": {"name": "acme-dev", "labels": {"team": "ml"}}}
    assert run_resource(namespace_restricted_pod_security, NAMESPACE_PATCH, props).passed


def test_fail_namespace_patch_lowering_the_enforce_level():
    props = {"metadata": {"name": "acme-dev", "labels": {"pod-security.kubernetes.io/enforce": "privileged"}}}
    assert run_resource(namespace_restricted_pod_security, NAMESPACE_PATCH, props).violations == [
        f"{NAMESPACE_PATCH} 'subject' has metadata.labels.pod-security.kubernetes.io/enforce 'privileged'; "
        "required: 'restricted'"
    ]


def test_fail_role_binding_to_another_tenants_cluster_role(fleet: None):
    binding = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"
    props = {
        "metadata": {"name": "import-dataset", "namespace": "acme-train", "labels": {"tenant": "acme"}},
        "roleRef": {"kind": "ClusterRole", "name": "globex-readers", "apiGroup": "rbac.authorization.k8s.io"},
        "subjects": [{"kind": "ServiceAccount", "name": "refresh-job", "namespace": "acme-train"}],
    }
    assert run_resource(no_other_tenant_references, binding, props).violations == [
        f"{binding} 'subject' has roleRef.name referring to tenant 'globex' (a name of fleet tenant "
        f"'globex'); {REQUIRED}"
    ]


def test_pass_text_that_only_looks_like_a_url_with_a_broken_ipv6_host_names_no_bucket():
    # CEL in admission policies holds `[` and `://` in one string; urlsplit raises on such text.
    from mlops_policies import aws_names

    assert aws_names.s3_bucket("https://[object.spec.containers") is None
