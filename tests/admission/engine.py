"""The API server's ValidatingAdmissionPolicy flow around a real CEL engine (cel-expr-python, cel-cpp).

CEL is never evaluated here: every expression is compiled and run by cel-cpp. What this module does
is what kube-apiserver does around CEL, per the ValidatingAdmissionPolicy docs:

1. matchConstraints: the request's group/version/resource and operation against resourceRules, and
   the namespace's labels against namespaceSelector (matchLabels only: all the generator emits);
2. matchConditions: all must be true, or the policy does not apply (an error fails the request,
   failurePolicy Fail);
3. variables: compiled in order; `variables.<name>` sees the earlier ones (the API server evaluates
   them lazily; with no side effects the result is the same);
4. validations: each false one denies with its message; an evaluation error denies too
   (failurePolicy Fail) and is reported separately, so tests can insist that none happens.

Kubernetes' CEL environment has libraries cel-cpp lacks (`quantity`, `url`, `cidr`, `ip`, regex
`find`, `authorizer`); the generator uses none of them, and compiling in an environment without them
proves it. Objects reach CEL as the API server serializes them: fields left unset are absent, never
null, so `strip_nulls` drops None values from fixtures first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cel_expr_python import cel
from cel_expr_python.ext import ext_optional, ext_strings

from landingzone.admission.model import Policy

VARIABLES = ("object", "oldObject", "request", "params", "namespaceObject", "variables")

KIND_RESOURCES = {
    "Pod": ("", "v1", "pods"),
    "ReplicationController": ("", "v1", "replicationcontrollers"),
    "ServiceAccount": ("", "v1", "serviceaccounts"),
    "ResourceQuota": ("", "v1", "resourcequotas"),
    "LimitRange": ("", "v1", "limitranges"),
    "Deployment": ("apps", "v1", "deployments"),
    "StatefulSet": ("apps", "v1", "statefulsets"),
    "DaemonSet": ("apps", "v1", "daemonsets"),
    "ReplicaSet": ("apps", "v1", "replicasets"),
    "Job": ("batch", "v1", "jobs"),
    "CronJob": ("batch", "v1", "cronjobs"),
    "NetworkPolicy": ("networking.k8s.io", "v1", "networkpolicies"),
}


class CelError(Exception):
    """An expression failed to compile or evaluate; the message names the expression."""


@cache
def environment() -> cel.Env:
    """Every variable Kubernetes declares, as dyn (the API server type-checks against schemas only for
    warnings), with the optional and strings extensions Kubernetes enables."""
    return cel.NewEnv(
        variables={name: cel.Type.DYN for name in VARIABLES},
        extensions=[ext_optional.ExtOptional(), ext_strings.ExtStrings()],
    )


@cache
def compiled(expression: str) -> cel.Expression:
    try:
        return environment().compile(expression)
    except RuntimeError as error:
        raise CelError(f"does not compile: {expression}\n{error}") from error


def evaluate(expression: str, data: Mapping[str, Any]) -> Any:
    value = compiled(expression).eval(data=dict(data))
    if value.type() == cel.Type.ERROR:
        raise CelError(f"evaluation error {value.value()} in: {expression}")
    return value.plain_value()


def strip_nulls(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value if v is not None]
    return value


@dataclass
class Request:
    """One admission request: the object (None for DELETE), the old object, who sends it."""

    object: Mapping[str, Any] | None
    operation: str = "CREATE"
    username: str = "alice@acme.example"
    groups: tuple[str, ...] = ("tenant:developers",)
    namespace: str = "acme-dev"
    namespace_labels: Mapping[str, str] = field(default_factory=lambda: {"tenant": "acme"})
    old_object: Mapping[str, Any] | None = None
    subresource: str = ""
    request_name: str | None = None
    """request.name when it differs from the object's: "" for each item of a collection delete."""

    @property
    def kind(self) -> str:
        subject = self.object if self.object is not None else self.old_object
        return str((subject or {}).get("kind"))

    @property
    def name(self) -> str:
        if self.request_name is not None:
            return self.request_name
        subject = self.object if self.object is not None else self.old_object
        return str(((subject or {}).get("metadata") or {}).get("name", ""))

    def cel_request(self) -> dict[str, Any]:
        group, version, resource = KIND_RESOURCES[self.kind]
        return {
            "operation": self.operation,
            "name": self.name,
            "namespace": self.namespace,
            "kind": {"group": group, "version": version, "kind": self.kind},
            "resource": {"group": group, "version": version, "resource": resource},
            "subResource": self.subresource,
            "userInfo": {"username": self.username, "groups": list(self.groups)},
            "dryRun": False,
        }


@dataclass
class Verdict:
    applies: bool
    denials: list[str] = field(default_factory=list)
    denied_keys: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.denials and not self.errors


def _matches(policy: Policy, request: Request) -> bool:
    selector = policy.manifest()["spec"]["matchConstraints"]["namespaceSelector"]["matchLabels"]
    if any(request.namespace_labels.get(k) != v for k, v in selector.items()):
        return False
    group, version, resource = KIND_RESOURCES[request.kind]
    wanted = f"{resource}/{request.subresource}" if request.subresource else resource
    return any(
        group == rule.group
        and version == rule.version
        and wanted in rule.resources
        and request.operation in rule.operations
        for rule in policy.rules
    )


def admit(policy: Policy, request: Request) -> Verdict:
    """What the API server answers for `policy` bound in Deny mode with failurePolicy Fail."""
    if not _matches(policy, request):
        return Verdict(applies=False)
    data: dict[str, Any] = {
        "object": strip_nulls(request.object),
        "oldObject": strip_nulls(request.old_object),
        "request": request.cel_request(),
        "params": None,
        "namespaceObject": {
            "metadata": {"name": request.namespace, "labels": dict(request.namespace_labels)}
        },
        "variables": {},
    }
    verdict = Verdict(applies=True)
    try:
        for condition in policy.match_conditions:
            if evaluate(condition.expression, data) is not True:
                return Verdict(applies=False)
        for variable in policy.variables:
            data["variables"] = {**data["variables"], variable.name: evaluate(variable.expression, data)}
    except CelError as error:
        verdict.errors.append(str(error))
        return verdict
    for validation in policy.validations:
        try:
            passed = evaluate(validation.expression, data)
        except CelError as error:
            verdict.errors.append(str(error))
            continue
        if passed is not True:
            verdict.denials.append(validation.message)
            verdict.denied_keys.append(validation.key)
    return verdict


def admit_all(policies: list[Policy], request: Request) -> dict[str, Verdict]:
    return {policy.name: admit(policy, request) for policy in policies}
