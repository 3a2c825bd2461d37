"""mlops_policies.k8s_defaults: unset fields have Kubernetes' own defaults."""

from __future__ import annotations

from mlops_policies import k8s_defaults
from mlops_policies.k8s_defaults import Effective


def test_unset_allow_privilege_escalation_allows_it():
    assert k8s_defaults.allow_privilege_escalation({"name": "c"}) == Effective(True, k8s_defaults.UNSET_TRUE)
    assert k8s_defaults.allow_privilege_escalation({"securityContext": {"runAsNonRoot": True}}).value is True


def test_only_an_explicit_false_prevents_privilege_escalation():
    context = {"securityContext": {"allowPrivilegeEscalation": False}}
    assert k8s_defaults.allow_privilege_escalation(context) == Effective(False, k8s_defaults.SET)


def test_privileged_and_cap_sys_admin_always_allow_escalation_whatever_the_field_says():
    privileged = {"securityContext": {"allowPrivilegeEscalation": False, "privileged": True}}
    sys_admin = {
        "securityContext": {"allowPrivilegeEscalation": "false", "capabilities": {"add": ["SYS_ADMIN"]}}
    }
    assert k8s_defaults.allow_privilege_escalation(privileged).value is True
    assert k8s_defaults.allow_privilege_escalation(sys_admin).value is True
    assert k8s_defaults.has_sys_admin({"capabilities": {"add": ["cap_sys_admin"]}})


def test_token_automount_follows_pod_then_service_account_then_true():
    assert k8s_defaults.pod_automounts_token({}, None).value is True
    assert k8s_defaults.pod_automounts_token({}, {}).value is True
    assert k8s_defaults.pod_automounts_token({}, {"automountServiceAccountToken": False}).value is False
    pod_on = {"automountServiceAccountToken": True}
    assert k8s_defaults.pod_automounts_token(pod_on, {"automountServiceAccountToken": False}).value is True
    pod_off = {"automountServiceAccountToken": False}
    assert k8s_defaults.pod_automounts_token(pod_off, None).value is False


def test_pods_without_a_service_account_use_the_namespace_default():
    assert k8s_defaults.service_account_name({}) == "default"
    assert k8s_defaults.service_account_name({"serviceAccount": "legacy"}) == "legacy"
    assert k8s_defaults.service_account_name({"serviceAccountName": "sa", "serviceAccount": "legacy"}) == "sa"
