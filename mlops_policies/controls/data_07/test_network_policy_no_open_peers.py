"""Cases for `data-07-network-policy-no-open-peers`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlops_policies.controls.data_07._fixtures import namespace_stack
from mlops_policies.controls.data_07.network_policy_no_open_peers import network_policy_no_open_peers
from tests.policies.data_leakage_fixtures import with_props
from tests.policies.harness import DELETE, run_stack


@pytest.mark.parametrize(
    ("peer", "shown"),
    [
        ({"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}, "ipBlock.cidr '0.0.0.0/0'"),
        ({"namespaceSelector": {}}, "namespaceSelector {}"),
        (
            {"namespaceSelector": {"matchLabels": {"tenant": "globex"}}},
            "namespaceSelector.matchLabels {'tenant': 'globex'}",
        ),
        (
            {
                "namespaceSelector": {
                    "matchExpressions": [{"key": "tenant", "operator": "NotIn", "values": ["acme"]}]
                }
            },
            "namespaceSelector.matchExpressions",
        ),
    ],
)
def test_fail_network_policy_with_peers_outside_the_tenant(peer: dict[str, Any], shown: str):
    stack = with_props(namespace_stack(), "prod-allow-serving", "spec.ingress.0.from.0", peer)
    assert run_stack(network_policy_no_open_peers, stack).violations == [
        "kubernetes:networking.k8s.io/v1:NetworkPolicy 'prod-allow-serving' has "
        f"spec.ingress[0].from[0].{shown}; required: peers inside the tenant (its namespaces, label "
        "tenant=acme, kube-system)"
    ]


def test_fail_network_policy_rule_without_peers_allows_everything():
    stack = with_props(namespace_stack(), "prod-allow-serving", "spec.ingress.0.from", DELETE)
    assert run_stack(network_policy_no_open_peers, stack).violations == [
        "kubernetes:networking.k8s.io/v1:NetworkPolicy 'prod-allow-serving' has spec.ingress[0].from "
        "missing, which allows every peer; required: peers inside the tenant"
    ]


def test_pass_network_policy_selecting_a_namespace_of_the_stack_by_name():
    peer = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "acme-prod"}}}
    stack = with_props(namespace_stack(), "prod-allow-serving", "spec.ingress.0.from.0", peer)
    assert run_stack(network_policy_no_open_peers, stack).passed
