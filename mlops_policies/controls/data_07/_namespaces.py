"""Namespaces, network policies and namespace selectors (DATA-07)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_policies.props import as_list, as_str, get

NAMESPACE = "kubernetes:core/v1:Namespace"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


def selects_namespace(selector: Any, names: set[str], tenant: str | None) -> bool:
    """Whether a namespaceSelector is pinned to the given namespace names or to the tenant's label."""
    if not isinstance(selector, Mapping):
        return False
    labels = get(selector, "matchLabels")
    if as_str(get(labels, NAMESPACE_NAME_LABEL)) in names or (
        tenant is not None and get(labels, "tenant") == tenant
    ):
        return True
    for expression in as_list(get(selector, "matchExpressions")):
        key, values = get(expression, "key"), as_list(get(expression, "values"))
        if get(expression, "operator") != "In" or not values:
            continue
        if (key == NAMESPACE_NAME_LABEL and all(as_str(v) in names for v in values)) or (
            key == "tenant" and tenant is not None and all(v == tenant for v in values)
        ):
            return True
    return False
