"""The rule `sec-04-k8s-env-secrets`, one of the SEC-04 rules.

SEC-04: No plaintext secrets in environment variables or user data.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import credentials, workloads
from mlops_policies.controls.sec_04._env_scan import EnvScan, items
from mlops_policies.props import known
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "sec-04-k8s-env-secrets",
    control="SEC-04",
    types=list(workloads.WORKLOAD_TYPES),
    severity=Severity.CRITICAL,
    description="No container env var of a Kubernetes workload has a literal value that looks like a "
    "credential, or a literal value under a secret-suggesting name, also once a `$(NAME)` reference to "
    "another env var of the container holding a literal value is expanded, and no container command/args "
    "carry a "
    "credential or assign one to a secret-named variable (`export HF_TOKEN=...`, `--api-key ...`); secrets "
    "come from secretKeyRef.",
    remediation="Replace env value=... with value_from={'secret_key_ref': {'name': <Secret>, 'key': ...}} "
    "(or mount the secret as a volume) and rotate the exposed credential.",
)
def k8s_env_secrets(r: ResourceCheck) -> None:
    scan = EnvScan(r, "valueFrom.secretKeyRef (or a mounted Secret volume)", credentials.Expansion.KUBERNETES)
    for spec in workloads.pod_specs(r.type, r.props):
        for container in workloads.containers(spec):
            name = known(container.container, "name")
            where = (
                f"container {name!r} ({container.path}) env"
                if isinstance(name, str)
                else f"{container.path} env"
            )
            scan.kubernetes_env(where, known(container.container, "env"))
            parts = [p for key in ("command", "args") for _, p in items(known(container.container, key))]
            scan.command_line(where.removesuffix(" env") + " command/args", parts)
    scan.done()
