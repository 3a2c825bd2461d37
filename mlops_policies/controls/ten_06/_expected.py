"""What TEN-06 expects a stack to register: the generator's own policies for the stack's config.

The pack reads the stack config the CLI hands over (landingzone:tenant, landingzone:platform,
aws:region, and whether landingzone:incident is set), validates it with the program's own model and
asks landingzone.admission for the policies, so "unmodified" means "equal to what the landing zone
would register for this config".
A config the model rejects cannot be judged against anything: the rules fail closed and say why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pulumi
from pulumi_policy import PolicyResource

from landingzone.admission import Policy, settings_from_stack, tenant_policies
from landingzone.config import (
    INCIDENT_KEY,
    PLATFORM_KEY,
    REGION_KEY,
    TENANT_KEY,
    ConfigError,
    parse_settings,
)
from mlops_policies.props import UNKNOWN, known
from mlops_policies.rule import StackCheck, Undecided, config_value, label

POLICY = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy"
BINDING = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding"
CLUSTER = "aws:eks/cluster:Cluster"
NAMESPACE = "kubernetes:core/v1:Namespace"
GENERATOR = "landingzone.admission.tenant_policies"


def expected_policies() -> list[Policy] | str:
    """The generated policies for the stack's config, or why there are none (a bad or missing config)."""
    config = {
        TENANT_KEY: config_value(TENANT_KEY),
        PLATFORM_KEY: config_value(PLATFORM_KEY),
        REGION_KEY: pulumi.runtime.get_config(REGION_KEY),
    }
    try:
        settings = parse_settings(pulumi.get_stack(), config, "the stack config")
    except ConfigError as error:
        return "; ".join(error.problems)
    # A quarantined stack's guardrail policy also covers every NetworkPolicy. The program registers that
    # form whenever landingzone:incident is set (it refuses to run with an unreadable block), so presence
    # is what counts here, as for the packs' quarantine rules (mlops_policies.incident).
    quarantined = config_value(INCIDENT_KEY) is not None
    return tenant_policies(replace(settings_from_stack(settings), quarantined=quarantined))


def other_forms(type_: str) -> list[str]:
    """The types that write the same API object as `type_` (a v1 admission kind) without being it: the
    kind's Patch (server-side apply with pulumi.com/patchForce rewrites the live object, and creates it
    when missing) and the kind at the API's other served versions, with their patches."""
    group, kind = type_.rsplit(":", 1)
    versions = [group, group.replace("/v1", "/v1beta1"), group.replace("/v1", "/v1alpha1")]
    return [
        f"{v}:{kind}{suffix}" for v in versions for suffix in ("", "Patch") if f"{v}:{kind}{suffix}" != type_
    ]


def needs_admission(stack: StackCheck) -> bool:
    """A stack with a tenant cluster or a Namespace must carry the admission layer."""
    return bool(stack.of_type(CLUSTER, NAMESPACE))


def by_name(stack: StackCheck, type_: str) -> dict[str, list[PolicyResource]]:
    """Registered objects of `type_` by their metadata.name; an unknown name cannot be matched: undecided."""
    found: dict[str, list[PolicyResource]] = {}
    for resource in stack.of_type(type_):
        name = known(resource.props, "metadata", "name")
        if name is UNKNOWN:
            raise Undecided([f"{label(resource)}: metadata.name is unknown"])
        if isinstance(name, str):
            found.setdefault(name, []).append(resource)
    return found


def first_difference(found: Any, wanted: Any, path: str = "") -> tuple[str, str, str] | None:
    """(path, found, required) of the first place the registered object differs from the generated one."""
    if isinstance(wanted, Mapping):
        if not isinstance(found, Mapping):
            return path or "(object)", shown(found), "an object"
        for key in wanted:
            inner = f"{path}.{key}" if path else str(key)
            if key not in found:
                return inner, "missing", shown(wanted[key])
            difference = first_difference(found[key], wanted[key], inner)
            if difference:
                return difference
        extra = sorted(str(k) for k in found if k not in wanted)
        if extra:
            return f"{path}.{extra[0]}" if path else extra[0], "set", "not set"
        return None
    if isinstance(wanted, Sequence) and not isinstance(wanted, str):
        if not isinstance(found, Sequence) or isinstance(found, str):
            return path, shown(found), shown(wanted)
        if len(found) != len(wanted):
            return path, f"{len(found)} entries", f"{len(wanted)} entries"
        for index, (f, w) in enumerate(zip(found, wanted, strict=True)):
            difference = first_difference(f, w, f"{path}[{index}]")
            if difference:
                return difference
        return None
    if found != wanted:
        return path, shown(found), shown(wanted)
    return None


def shown(value: Any) -> str:
    """A value for messages: strings quoted, lists and objects summarised, absence as 'missing'."""
    if value is None:
        return "missing"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 80 else f"'{value[:77]}...'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return "[" + ", ".join(shown(v) for v in value) + "]" if len(value) <= 3 else f"{len(value)} entries"
    return str(value)
