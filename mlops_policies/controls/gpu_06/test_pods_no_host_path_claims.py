"""gpu-06-pods-no-host-path-claims: one compliant stack (pod, claim, EBS-backed volume), one change each."""

from __future__ import annotations

import copy
from typing import Any

from mlops_policies.controls.gpu_06.pods_no_host_path_claims import pods_no_host_path_claims
from tests.policies.harness import Res, run_stack

DEPLOYMENT = "kubernetes:apps/v1:Deployment"
STATEFUL_SET = "kubernetes:apps/v1:StatefulSet"
CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"
VOLUME = "kubernetes:core/v1:PersistentVolume"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
NS = "acme-train"
POD = {
    "containers": [{"name": "main", "image": "x"}],
    "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "datasets"}}],
}
CLAIM_PROPS: dict[str, Any] = {
    "metadata": {"name": "datasets", "namespace": NS},
    "spec": {"storageClassName": "gp3", "accessModes": ["ReadWriteOnce"]},
}
EBS_VOLUME = {
    "metadata": {"name": "datasets-pv"},
    "spec": {"storageClassName": "gp3", "csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "vol-1"}},
}
HOST_VOLUME = {
    "metadata": {"name": "node-disk"},
    "spec": {"storageClassName": "manual", "hostPath": {"path": "/"}},
}
REQUIRED = "required: no hostPath volumes, directly or through claims"
POD_PATH = "spec.template.spec.volumes[0]"
WHERE = f"kubernetes:apps/v1:Deployment 'trainer' has {POD_PATH} (PersistentVolumeClaim 'datasets')"


def stack(claim_spec: dict[str, Any] | None = None, *extra: Res) -> list[Res]:
    claim = copy.deepcopy(CLAIM_PROPS)
    claim["spec"].update(claim_spec or {})
    return [
        Res(
            DEPLOYMENT,
            "trainer",
            {"metadata": {"name": "trainer", "namespace": NS}, "spec": {"template": {"spec": POD}}},
        ),
        Res(CLAIM, "datasets", claim),
        Res(VOLUME, "datasets-pv", EBS_VOLUME),
        Res(VOLUME, "node-disk", HOST_VOLUME),
        *extra,
    ]


def test_pass_claim_bound_to_an_ebs_volume_beside_an_unused_host_path_volume():
    assert run_stack(pods_no_host_path_claims, stack()).passed


def test_pass_claim_of_the_same_name_in_another_namespace_is_not_the_pods():
    other = Res(
        CLAIM,
        "other",
        {"metadata": {"name": "datasets", "namespace": "acme-dev"}, "spec": {"volumeName": "node-disk"}},
    )
    assert run_stack(pods_no_host_path_claims, stack(None, other)).passed


def test_fail_claim_naming_a_host_path_volume():
    assert run_stack(pods_no_host_path_claims, stack({"volumeName": "node-disk"})).violations == [
        f"{WHERE} bound by spec.volumeName to kubernetes:core/v1:PersistentVolume 'node-disk' (hostPath); "
        f"{REQUIRED}"
    ]


def test_fail_claim_with_the_host_path_volumes_storage_class():
    assert run_stack(pods_no_host_path_claims, stack({"storageClassName": "manual"})).violations == [
        f"{WHERE} able to bind to kubernetes:core/v1:PersistentVolume 'node-disk' (hostPath) through "
        f"'manual'; {REQUIRED}"
    ]


def test_fail_host_path_volume_pre_bound_to_the_claim_by_claim_ref():
    volume = Res(
        VOLUME,
        "pinned",
        {
            "metadata": {"name": "pinned"},
            "spec": {"hostPath": {"path": "/var/lib"}, "claimRef": {"name": "datasets", "namespace": NS}},
        },
    )
    assert run_stack(pods_no_host_path_claims, stack(None, volume)).violations == [
        f"{WHERE} bound by spec.claimRef of kubernetes:core/v1:PersistentVolume 'pinned' (hostPath); "
        f"{REQUIRED}"
    ]


def test_fail_claim_of_a_local_path_provisioner_class():
    local_path = Res(
        STORAGE_CLASS,
        "local-path",
        {"metadata": {"name": "local-path"}, "provisioner": "rancher.io/local-path"},
    )
    outcome = run_stack(pods_no_host_path_claims, stack({"storageClassName": "local-path"}, local_path))
    assert outcome.violations == [
        f"{WHERE} provisioned by kubernetes:storage.k8s.io/v1:StorageClass 'local-path' "
        f"(rancher.io/local-path, hostPath volumes); {REQUIRED}"
    ]


def test_fail_stateful_set_volume_claim_template_naming_a_host_path_volume():
    sts = Res(
        STATEFUL_SET,
        "db",
        {
            "metadata": {"name": "db", "namespace": NS},
            "spec": {
                "template": {"spec": {"containers": [{"name": "db", "image": "x"}]}},
                "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"volumeName": "node-disk"}}],
            },
        },
    )
    assert run_stack(pods_no_host_path_claims, [*stack()[2:], sts]).violations == [
        "kubernetes:apps/v1:StatefulSet 'db' has spec.volumeClaimTemplates[0] bound by spec.volumeName to "
        f"kubernetes:core/v1:PersistentVolume 'node-disk' (hostPath); {REQUIRED}"
    ]
