"""The values Kubernetes gives fields a manifest leaves unset, as rules must judge them.

A field left unset is not "no value": the API server, admission or the kubelet fills it in. Each
function returns the effective value and a phrase saying where it came from, for messages. Sources
(kubernetes/kubernetes, read for this module):

- allowPrivilegeEscalation: the kubelet sets no_new_privs only when the container's securityContext
  sets allowPrivilegeEscalation false explicitly (pkg/securitycontext/util.go `AddNoNewPrivileges`:
  nil securityContext or nil field -> false). There is no pod-level field. The API reference:
  "AllowPrivilegeEscalation is true always when the container is: 1) run as Privileged 2) has
  CAP_SYS_ADMIN", and validation rejects false together with either (pkg/apis/core/validation
  `ValidateSecurityContext`: "cannot set `allowPrivilegeEscalation` to false and `privileged` to
  true", and the same with `capabilities.Add` CAP_SYS_ADMIN). Runtimes accept capabilities with or
  without the CAP_ prefix, so SYS_ADMIN counts as CAP_SYS_ADMIN.
- automountServiceAccountToken: the ServiceAccount admission plugin
  (plugin/pkg/admission/serviceaccount/admission.go `shouldAutomount`): the pod's field wins, then the
  ServiceAccount's, then true "for backwards compatibility". A ServiceAccount's own field unset means
  its pods mount the token.
- serviceAccountName: unset means the namespace's `default` ServiceAccount (same plugin,
  `DefaultServiceAccountName`); `serviceAccount` is its deprecated alias.
- privileged, hostNetwork, hostPID, hostIPC: unset means false.

Patch kinds (`...Patch`) are excluded by the callers: an unset field in a patch keeps the live
object's value, which the stack does not show, so no default applies to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from mlops_policies.props import as_bool, as_list, get

DEFAULT_SERVICE_ACCOUNT = "default"
SET = "set"
UNSET_TRUE = "not set (Kubernetes default: true)"


class Effective(NamedTuple):
    """A field's effective value and how it was reached ('set', or the default that applied)."""

    value: bool
    source: str


def _added_capabilities(context: Any) -> list[str]:
    return [c for c in as_list(get(context, "capabilities", "add")) if isinstance(c, str)]


def has_sys_admin(context: Any) -> bool:
    return any(c.upper().removeprefix("CAP_") == "SYS_ADMIN" for c in _added_capabilities(context))


def allow_privilege_escalation(container: Mapping[str, Any]) -> Effective:
    """Whether a container's processes may gain privileges (no_new_privs not set), and why."""
    context = get(container, "securityContext")
    explicit = as_bool(get(context, "allowPrivilegeEscalation"))
    if explicit is True:
        return Effective(True, SET)
    if as_bool(get(context, "privileged")) is True:
        return Effective(True, "privileged true (always allows privilege escalation)")
    if has_sys_admin(context):
        return Effective(True, "capabilities.add CAP_SYS_ADMIN (always allows privilege escalation)")
    if explicit is None:
        return Effective(True, UNSET_TRUE)
    return Effective(explicit, SET)


def service_account_name(pod_spec: Mapping[str, Any]) -> Any:
    """The pod's ServiceAccount name: serviceAccountName, its deprecated alias, or 'default'."""
    for key in ("serviceAccountName", "serviceAccount"):
        value = get(pod_spec, key)
        if value not in (None, ""):
            return value
    return DEFAULT_SERVICE_ACCOUNT


def service_account_automounts(service_account: Mapping[str, Any] | None) -> Effective:
    """A ServiceAccount's automountServiceAccountToken; unset (or a ServiceAccount the stack does not
    declare, such as a namespace's `default`) means true."""
    if service_account is None:
        return Effective(True, "a ServiceAccount the stack does not declare (Kubernetes default: true)")
    explicit = as_bool(get(service_account, "automountServiceAccountToken"))
    if explicit is None:
        return Effective(True, "not set on the ServiceAccount (Kubernetes default: true)")
    return Effective(explicit, "set on the ServiceAccount")


def pod_automounts_token(pod_spec: Mapping[str, Any], service_account: Mapping[str, Any] | None) -> Effective:
    """Whether the pod gets the API token mounted: the pod's field wins, then its ServiceAccount's."""
    explicit = as_bool(get(pod_spec, "automountServiceAccountToken"))
    if explicit is not None:
        return Effective(explicit, "set on the pod")
    return service_account_automounts(service_account)
