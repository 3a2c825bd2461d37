"""Cases for `sec-07-sa-token-automount`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.sec_07.sa_token_automount import sa_token_automount
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource

SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"


COMPLIANT_SERVICE_ACCOUNT = {
    "metadata": {"name": "notebook", "namespace": "acme"},
    "automountServiceAccountToken": False,
}


def test_pass_service_account_without_token_automount():
    assert run_resource(sa_token_automount, SERVICE_ACCOUNT, COMPLIANT_SERVICE_ACCOUNT).passed


def test_fail_service_account_relying_on_the_default():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", DELETE)
    outcome = run_resource(sa_token_automount, SERVICE_ACCOUNT, props)
    assert outcome.violations == [
        "kubernetes:core/v1:ServiceAccount 'subject' has automountServiceAccountToken missing (Kubernetes "
        "default: "
        "true); required: false, or the annotation eks.amazonaws.com/role-arn"
    ]


def test_fail_service_account_mounting_tokens():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", True)
    outcome = run_resource(sa_token_automount, SERVICE_ACCOUNT, props)
    assert "automountServiceAccountToken true" in outcome.violations[0]
    assert outcome.violations == [
        "kubernetes:core/v1:ServiceAccount 'subject' has automountServiceAccountToken true; "
        "required: false, or the annotation eks.amazonaws.com/role-arn",
    ]


def test_pass_irsa_service_account_in_a_first_preview():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", DELETE)
    props["metadata"]["annotations"] = {"eks.amazonaws.com/role-arn": UNKNOWN}
    assert run_resource(sa_token_automount, SERVICE_ACCOUNT, props).passed


def test_undecided_annotations_unknown_as_a_whole():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", DELETE)
    props["metadata"]["annotations"] = UNKNOWN
    outcome = run_resource(sa_token_automount, SERVICE_ACCOUNT, props)
    assert outcome.undecided is not None and outcome.violations == []


def test_undecided_unknown_automount_without_irsa():
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", UNKNOWN)
    assert run_resource(sa_token_automount, SERVICE_ACCOUNT, props).undecided is not None
