"""sec-04-config-map-secrets: no credential in a ConfigMap, which pods read as env (envFrom) or files.

A ConfigMap is another way to set a container's environment (`envFrom.configMapRef`,
`valueFrom.configMapKeyRef`) or its config files, and is stored and shown in plaintext: a credential
there is as exposed as one in `env`. Each data entry is judged like an env var (its key is the name; its
value is read as given and through base64/gzip/MIME layers, `credentials.scan`); binaryData entries are
base64 by definition and are decoded. Nothing is expanded in ConfigMap data, so `$x` is literal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from mlops_policies import credentials, workloads
from mlops_policies.props import UNKNOWN, known
from mlops_policies.rule import ResourceCheck, Undecided, resource_rule

FIX = "a Kubernetes Secret (secretKeyRef, envFrom.secretRef or a secret volume), never a ConfigMap"


@resource_rule(
    "sec-04-config-map-secrets",
    control="SEC-04",
    types=list(workloads.CONFIG_MAP_TYPES),
    severity=Severity.CRITICAL,
    description="No ConfigMap data or binaryData entry has a literal value that looks like a credential "
    "(also inside base64/gzip/MIME layers), or a literal value under a secret-suggesting key: pods read "
    "ConfigMaps as env and files, in plaintext. ConfigMaps of inline kubernetes:yaml manifests count.",
    remediation="Move the credential into a kubernetes.core.v1.Secret (or an external secret store synced "
    "to one), reference it with secret_key_ref / env_from secret_ref, and rotate it.",
)
def config_map_secrets(r: ResourceCheck) -> None:
    pending: list[str] = []
    for prefix, config_map in workloads.config_maps(r.type, r.props):
        pending += _judge(r, prefix, config_map)
    if pending:
        raise Undecided(pending)


def _judge(r: ResourceCheck, prefix: str, config_map: Mapping[str, Any]) -> list[str]:
    """Report every definite finding of one ConfigMap; return what could not be read."""
    pending = []
    for section in ("data", "binaryData"):
        entries = known(config_map, section)
        if entries is UNKNOWN:
            pending.append(f"{prefix}{section} is unknown")
        if not isinstance(entries, Mapping):
            continue
        for key in entries:
            value = known(entries, key)
            name = key if isinstance(key, str) else None
            if value is UNKNOWN:
                if name is None or credentials.secret_name(name):
                    pending.append(f"{prefix}{section} '{name}' is unknown")
                continue
            if not isinstance(value, str) or not value:
                continue
            finding = credentials.literal_env_findings(name, value, credentials.Expansion.NONE)
            if finding:
                shown = credentials.display_name(name) if name else "<unnamed>"
                r.fail(f"{r.label} {prefix}{section} '{shown}' {finding}; required: {FIX}")
    return pending
