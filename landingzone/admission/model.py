"""What an admission policy is made of, and how it becomes ValidatingAdmissionPolicy + Binding manifests.

Pure data: no Pulumi, no Kubernetes client. The landing zone (components/admission.py) registers the
manifests as they come out of `Policy.manifest()` / `Policy.binding_manifest()`, and the TEN-06 policy
compares what a stack registers against the same functions, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

API_VERSION = "admissionregistration.k8s.io/v1"
POLICY_KIND = "ValidatingAdmissionPolicy"
BINDING_KIND = "ValidatingAdmissionPolicyBinding"
DENY = "Deny"
FAIL = "Fail"
TENANT_LABEL = "tenant"


def cel_string(text: str) -> str:
    """`text` as a CEL string literal (single-quoted; backslashes and quotes escaped)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class ResourceRule:
    """One `resourceRules` entry: the API group, version and resources a policy judges."""

    group: str
    version: str
    resources: tuple[str, ...]
    operations: tuple[str, ...] = ("CREATE", "UPDATE")

    def spec(self) -> dict[str, Any]:
        return {
            "apiGroups": [self.group],
            "apiVersions": [self.version],
            "operations": list(self.operations),
            "resources": list(self.resources),
        }


@dataclass(frozen=True)
class Validation:
    """One CEL check. `mirrors` names the CrossGuard policy judging the same thing at deploy time."""

    key: str
    """Short, unique inside the policy: how tests name the check."""
    control: str
    expression: str
    message: str
    """Names the control id, the field and the required value; never a value from the request."""
    mirrors: str | None = None
    """The CrossGuard policy with the same verdict on the same pod spec; None: admission-only check."""

    def spec(self) -> dict[str, Any]:
        return {"expression": self.expression, "message": self.message, "reason": "Forbidden"}


@dataclass(frozen=True)
class Variable:
    name: str
    expression: str

    def spec(self) -> dict[str, Any]:
        return {"name": self.name, "expression": self.expression}


@dataclass(frozen=True)
class MatchCondition:
    name: str
    expression: str

    def spec(self) -> dict[str, Any]:
        return {"name": self.name, "expression": self.expression}


@dataclass(frozen=True)
class Policy:
    """One ValidatingAdmissionPolicy and the binding that puts it in Deny mode on the tenant namespaces."""

    name: str
    control: str
    description: str
    rules: tuple[ResourceRule, ...]
    validations: tuple[Validation, ...]
    variables: tuple[Variable, ...] = ()
    match_conditions: tuple[MatchCondition, ...] = ()
    tenant: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)

    def namespace_selector(self) -> dict[str, Any]:
        return {"matchLabels": {TENANT_LABEL: self.tenant}}

    def manifest(self) -> dict[str, Any]:
        """The ValidatingAdmissionPolicy object (camelCase, as the API server and the analyzer see it)."""
        spec: dict[str, Any] = {
            "failurePolicy": FAIL,
            "matchConstraints": {
                "namespaceSelector": self.namespace_selector(),
                "resourceRules": [rule.spec() for rule in self.rules],
            },
            "validations": [v.spec() for v in self.validations],
        }
        if self.variables:
            spec["variables"] = [v.spec() for v in self.variables]
        if self.match_conditions:
            spec["matchConditions"] = [c.spec() for c in self.match_conditions]
        return {
            "apiVersion": API_VERSION,
            "kind": POLICY_KIND,
            "metadata": {"name": self.name, "labels": dict(self.labels)},
            "spec": spec,
        }

    def binding_manifest(self) -> dict[str, Any]:
        """The binding: this policy, Deny, on every namespace labelled tenant=<tenant>, same resources."""
        return {
            "apiVersion": API_VERSION,
            "kind": BINDING_KIND,
            "metadata": {"name": self.name, "labels": dict(self.labels)},
            "spec": {
                "policyName": self.name,
                "validationActions": [DENY],
                "matchResources": {
                    "namespaceSelector": self.namespace_selector(),
                    "resourceRules": [rule.spec() for rule in self.rules],
                },
            },
        }
