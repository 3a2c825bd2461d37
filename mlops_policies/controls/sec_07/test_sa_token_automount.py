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


def irsa(role_arn):
    props = changed(COMPLIANT_SERVICE_ACCOUNT, "automountServiceAccountToken", True)
    props["metadata"]["annotations"] = {"eks.amazonaws.com/role-arn": role_arn}
    return props


def test_pass_irsa_service_account_mounting_tokens_with_a_role_arn_in_any_partition():
    for role_arn in (
        "arn:aws:iam::111122223333:role/acme-dev-workload",
        "arn:aws-us-gov:iam::111122223333:role/service/acme-dev-workload",
        "arn:aws-cn:iam::111122223333:role/a+b=c,d.e@f_g-h",
    ):
        assert run_resource(sa_token_automount, SERVICE_ACCOUNT, irsa(role_arn)).passed, role_arn


def test_fail_service_account_mounting_tokens_with_an_annotation_that_is_not_a_role_arn():
    for not_a_role in (
        "x",
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::1111:role/short-account",
        "arn:aws:iam::111122223333:role/",
        " arn:aws:iam::111122223333:role/padded",
        "arn:aws:sts::111122223333:assumed-role/acme/session",
    ):
        assert run_resource(sa_token_automount, SERVICE_ACCOUNT, irsa(not_a_role)).violations == [
            "kubernetes:core/v1:ServiceAccount 'subject' has automountServiceAccountToken true; "
            "required: false, or the annotation eks.amazonaws.com/role-arn",
        ], not_a_role
