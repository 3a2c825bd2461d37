from __future__ import annotations

from typing import Any

from mlops_policies.controls.ten_06._fixtures import edited, landing_zone, run
from mlops_policies.controls.ten_06.namespaces_under_admission import namespaces_under_admission
from tests.policies.harness import UNKNOWN

NAMESPACE = "kubernetes:core/v1:Namespace"


def test_pass_every_namespace_carries_the_tenant_label() -> None:
    assert run(namespaces_under_admission, landing_zone()).passed


def test_fail_a_namespace_without_the_tenant_label() -> None:
    def unlabel(props: dict[str, Any]) -> None:
        del props["metadata"]["labels"]["tenant"]

    assert run(namespaces_under_admission, edited(landing_zone(), "acme-prod", unlabel)).violations == [
        f"{NAMESPACE} 'acme-prod' has metadata.labels.tenant missing, so no admission binding selects it; "
        "required: 'acme'"
    ]


def test_fail_a_namespace_labelled_for_another_tenant() -> None:
    def relabel(props: dict[str, Any]) -> None:
        props["metadata"]["labels"]["tenant"] = "globex"

    assert run(namespaces_under_admission, edited(landing_zone(), "acme-dev", relabel)).violations == [
        f"{NAMESPACE} 'acme-dev' has metadata.labels.tenant 'globex', so no admission binding selects it; "
        "required: 'acme'"
    ]


def test_undecided_when_the_label_is_unknown() -> None:
    def unknown(props: dict[str, Any]) -> None:
        props["metadata"]["labels"]["tenant"] = UNKNOWN

    outcome = run(namespaces_under_admission, edited(landing_zone(), "acme-dev", unknown))
    assert outcome.violations == []
    assert outcome.undecided == f"{NAMESPACE} 'acme-dev': metadata.labels.tenant is unknown"
