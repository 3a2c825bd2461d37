"""Cases for `ten-03-namespace-restricted-pod-security`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.ten_03.namespace_restricted_pod_security import namespace_restricted_pod_security
from tests.policies.harness import UNKNOWN, changed, run_resource
from tests.policies.tenancy_fixtures import NAMESPACE, NAMESPACE_PROPS


def test_pass_restricted_namespace():
    assert run_resource(namespace_restricted_pod_security, NAMESPACE, NAMESPACE_PROPS).passed


def test_fail_baseline_pod_security():
    props = changed(
        NAMESPACE_PROPS,
        "metadata.labels",
        {"tenant": "acme", "pod-security.kubernetes.io/enforce": "baseline"},
    )
    assert run_resource(namespace_restricted_pod_security, NAMESPACE, props).violations == [
        "kubernetes:core/v1:Namespace 'subject' has metadata.labels.pod-security.kubernetes.io/enforce "
        "'baseline'; required: 'restricted'"
    ]


def test_fail_missing_pod_security_label():
    props = changed(NAMESPACE_PROPS, "metadata.labels", {"tenant": "acme"})
    outcome = run_resource(namespace_restricted_pod_security, NAMESPACE, props)
    assert "enforce missing" in outcome.violations[0]
    assert outcome.violations == [
        "kubernetes:core/v1:Namespace 'subject' has "
        "metadata.labels.pod-security.kubernetes.io/enforce missing; required: 'restricted'",
    ]


def test_undecided_unknown_labels():
    props = changed(NAMESPACE_PROPS, "metadata.labels", UNKNOWN)
    assert run_resource(namespace_restricted_pod_security, NAMESPACE, props).undecided is not None
