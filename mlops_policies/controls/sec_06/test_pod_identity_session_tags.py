"""sec-06-pod-identity-session-tags."""

from __future__ import annotations

from mlops_policies.controls.sec_06.pod_identity_session_tags import pod_identity_session_tags as rule
from tests.policies.harness import run_resource

ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
BASE = {"clusterName": "acme-cluster", "namespace": "acme-dev", "serviceAccount": "workload",
        "roleArn": "arn:aws:iam::111122223333:role/acme-dev-workload"}  # fmt: skip


def test_pass_session_tags_not_set():
    assert run_resource(rule, ASSOCIATION, BASE).passed


def test_pass_session_tags_explicitly_on():
    assert run_resource(rule, ASSOCIATION, {**BASE, "disableSessionTags": False}).passed


def test_fail_session_tags_disabled():
    outcome = run_resource(rule, ASSOCIATION, {**BASE, "disableSessionTags": True})
    assert outcome.violations == [
        "aws:eks/podIdentityAssociation:PodIdentityAssociation 'subject' has disableSessionTags true; "
        "required: false or not set"
    ]
