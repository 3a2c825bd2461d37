"""Fixtures shared by the tests of several DATA-07 rules."""

from __future__ import annotations

from typing import Any

from tests.policies.harness import UNKNOWN, Res

NAMESPACE = "kubernetes:core/v1:Namespace"
NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy"


DEFAULT_DENY = {
    "metadata": {"name": "default-deny", "namespace": UNKNOWN, "labels": {"tenant": "acme"}},
    "spec": {
        "podSelector": {},
        "policyTypes": ["Ingress", "Egress"],
        "egress": [
            {
                "to": [
                    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}
                ],
                "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
            }
        ],
    },
}


ALLOW_FROM_SIBLING = {
    "metadata": {"name": "allow-serving", "namespace": "acme-prod"},
    "spec": {
        "podSelector": {"matchLabels": {"app": "serving"}},
        "policyTypes": ["Ingress"],
        "ingress": [
            {"from": [{"namespaceSelector": {"matchLabels": {"tenant": "acme"}}}, {"podSelector": {}}]}
        ],
    },
}


def namespace_stack(default_deny: dict[str, Any] = DEFAULT_DENY) -> list[Res]:
    return [
        Res(NAMESPACE, "prod", {"metadata": {"name": "acme-prod", "labels": {"tenant": "acme"}}}),
        Res(NETPOL, "prod-default-deny", default_deny, prop_deps={"metadata": ["prod"]}),
        Res(NETPOL, "prod-allow-serving", ALLOW_FROM_SIBLING),
    ]
