"""Cases for `sec-06-irsa-trust-one-service-account`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import json
from typing import Any

from mlops_policies.controls.sec_06._fixtures import COMPLIANT_ROLE, IRSA_STATEMENT, PROVIDER_HOST, trust
from mlops_policies.controls.sec_06.irsa_session_duration import irsa_session_duration
from mlops_policies.controls.sec_06.irsa_trust_one_service_account import irsa_trust_one_service_account
from mlops_policies.controls.sec_06.no_wildcard_trust import no_wildcard_trust
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource
from tests.policies.secrets_fixtures import ROLE


def test_pass_irsa_role_scoped_to_one_service_account():
    for rule in (irsa_trust_one_service_account, irsa_session_duration, no_wildcard_trust):
        assert run_resource(rule, ROLE, COMPLIANT_ROLE).passed


def test_fail_string_like_wildcard_on_subject():
    statement = irsa_statement(sub=DELETE)
    statement["Condition"]["StringLike"] = {f"{PROVIDER_HOST}:sub": "system:serviceaccount:acme:*"}
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(statement))
    sub = f"'{PROVIDER_HOST}:sub'"
    exact = "exactly one 'system:serviceaccount:<namespace>:<name>' without wildcards"
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy statement #1 (web identity) has no StringEquals "
        "condition on "
        f"{sub}; required: StringEquals {sub}: {exact}",
        f"aws:iam/role:Role 'subject' assumeRolePolicy statement #1 (web identity) has StringLike {sub} "
        f"'system:serviceaccount:acme:*'; required: StringEquals {sub} with {exact}, no StringLike wildcards",
    ]


def irsa_statement(**string_equals: Any) -> dict[str, Any]:
    """The compliant IRSA statement with condition keys changed (`sub=`, `aud=`; DELETE removes one).

    Provider hosts contain dots, so `changed()` dotted paths cannot reach these keys."""
    statement = json.loads(json.dumps(IRSA_STATEMENT))
    for suffix, value in string_equals.items():
        if value is DELETE:
            statement["Condition"]["StringEquals"].pop(f"{PROVIDER_HOST}:{suffix}")
        else:
            statement["Condition"]["StringEquals"][f"{PROVIDER_HOST}:{suffix}"] = value
    return statement


def test_fail_subject_naming_two_service_accounts():
    statement = irsa_statement(sub=["system:serviceaccount:acme:a", "system:serviceaccount:acme:b"])
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(statement))
    assert len(outcome.violations) == 1
    assert (
        "has StringEquals" in outcome.violations[0]
        and "['system:serviceaccount:acme:a'" in outcome.violations[0]
    )
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy statement #1 (web identity) has StringEquals "
        "'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789:sub' "
        "['system:serviceaccount:acme:a', 'system:serviceaccount:acme:b']; required: exactly one "
        "'system:serviceaccount:<namespace>:<name>' without wildcards",
    ]


def test_fail_subject_with_wildcard_inside_string_equals():
    statement = irsa_statement(sub="system:serviceaccount:*:*")
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(statement))
    assert len(outcome.violations) == 1
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy statement #1 (web identity) has StringEquals "
        "'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789:sub' 'system:serviceaccount:*:*'; "
        "required: exactly one 'system:serviceaccount:<namespace>:<name>' without wildcards",
    ]


def test_fail_missing_audience_condition():
    statement = {**irsa_statement(aud=DELETE), "Sid": "Trainer"}
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(statement))
    assert outcome.violations == [
        f"aws:iam/role:Role 'subject' assumeRolePolicy statement 'Trainer' (web identity) has StringEquals "
        f"'{PROVIDER_HOST}:aud' missing; required: StringEquals '{PROVIDER_HOST}:aud': 'sts.amazonaws.com'"
    ]


def test_fail_wildcard_action_still_counts_as_web_identity():
    statement = {**IRSA_STATEMENT, "Action": "sts:*", "Condition": {}}
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(statement))
    assert len(outcome.violations) == 2
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy statement #1 (web identity) has no "
        "StringEquals condition on 'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789:sub'; "
        "required: StringEquals 'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789:sub': "
        "exactly one 'system:serviceaccount:<namespace>:<name>' without wildcards",
        "aws:iam/role:Role 'subject' assumeRolePolicy statement #1 (web identity) has StringEquals "
        "'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789:aud' missing; required: "
        "StringEquals 'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789:aud': "
        "'sts.amazonaws.com'",
    ]


def test_pass_condition_keys_are_case_insensitive():
    statement = {**IRSA_STATEMENT, "Condition": {"StringEquals": {
        f"{PROVIDER_HOST.upper()}:SUB": "system:serviceaccount:acme:trainer",
        f"{PROVIDER_HOST}:Aud": "sts.amazonaws.com",
    }}}  # fmt: skip
    assert run_resource(irsa_trust_one_service_account, ROLE, trust(statement)).passed


def test_undecided_unknown_trust_policy():
    for rule in (irsa_trust_one_service_account, no_wildcard_trust):
        outcome = run_resource(rule, ROLE, changed(COMPLIANT_ROLE, "assumeRolePolicy", UNKNOWN))
        assert outcome.undecided is not None and outcome.violations == []


def test_fail_two_statements_each_naming_another_service_account():
    trainer = {**irsa_statement(sub="system:serviceaccount:acme-dev:trainer"), "Sid": "Trainer"}
    notebook = {**irsa_statement(sub="system:serviceaccount:acme-dev:notebook"), "Sid": "Notebook"}
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(trainer, notebook))
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy names 2 service accounts "
        "('system:serviceaccount:acme-dev:notebook' in statement 'Notebook'; "
        "'system:serviceaccount:acme-dev:trainer' in statement 'Trainer'); required: one service account of "
        "one cluster per role"
    ]


def test_fail_one_service_account_trusted_from_two_clusters():
    other = json.loads(json.dumps(IRSA_STATEMENT).replace("ABCDEF0123456789", "FEDCBA9876543210"))
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(IRSA_STATEMENT, other))
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy names 2 OIDC providers "
        "('oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789', "
        "'oidc.eks.us-east-1.amazonaws.com/id/FEDCBA9876543210'); required: one service account of one "
        "cluster per role"
    ]


def test_fail_irsa_and_pod_identity_naming_different_service_accounts():
    pod_identity = {
        "Sid": "PodIdentity",
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {"StringEquals": {
            "aws:RequestTag/eks-cluster-name": "acme-cluster",
            "aws:RequestTag/kubernetes-namespace": "acme",
            "aws:RequestTag/kubernetes-service-account": "notebook",
        }},
    }  # fmt: skip
    outcome = run_resource(irsa_trust_one_service_account, ROLE, trust(IRSA_STATEMENT, pod_identity))
    assert outcome.violations == [
        "aws:iam/role:Role 'subject' assumeRolePolicy names 2 service accounts "
        "('system:serviceaccount:acme:notebook' in statement 'PodIdentity'; "
        "'system:serviceaccount:acme:trainer' in statement #1); required: one service account of one "
        "cluster per role"
    ]


def test_pass_two_statements_naming_the_same_service_account():
    assert run_resource(irsa_trust_one_service_account, ROLE, trust(IRSA_STATEMENT, IRSA_STATEMENT)).passed
