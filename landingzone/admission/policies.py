"""The admission policies of one tenant cluster, generated from the control catalog's in-cluster controls.

Long because it is the one place holding every CEL expression: each validation sits next to the
CrossGuard policy it mirrors (`mirrors=`), so a reader compares the two side by side. Expressions use
only what Kubernetes' CEL environment and cel-cpp share: the standard macros, `matches()` (RE2),
optional field selection (`?.`, `[?]`, `orValue`), and `size`/`startsWith`/`substring` from the
strings extension. Kubernetes-only libraries (`quantity()`, `url()`, `cidr()`, `ip()`, `authorizer`,
regex `find`) are not used: docs/admission.md says what that costs (CIDRs are compared as strings).

Tenant values (id, namespaces, registry, allowlist, platform identity) are written into the CEL text
as literals instead of being read from a params object: one cluster serves one tenant, and a literal
cannot be edited by anyone who can edit a ConfigMap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from landingzone.admission import patterns
from landingzone.admission.model import (
    MatchCondition,
    Policy,
    ResourceRule,
    Validation,
    Variable,
    cel_string,
)

POLICY_PREFIX = "mlops-"
IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"
DEFAULT_DENY = "default-deny"
QUARANTINE_DENY_ALL = "quarantine-deny-all"
# The NetworkPolicies the platform owns in every tenant namespace (components/workspace.py and, during
# an incident, components/incident.py): a tenant deleting the quarantine policy would end its own
# quarantine, so both are guarded.
PLATFORM_NETWORK_POLICIES = (DEFAULT_DENY, QUARANTINE_DENY_ALL)
NAMESPACE_CONTROLLER = "system:serviceaccount:kube-system:namespace-controller"
SERVICE_ACCOUNT_CONTROLLERS = (
    "system:serviceaccount:kube-system:service-account-controller",
    "system:kube-controller-manager",
)
KUBE_SYSTEM = "kube-system"
NVIDIA_VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES"
# The widest ingress ipBlock a tenant NetworkPolicy may name (DATA-07). IPv4 /16: the largest VPC block
# AWS allows and the largest the tenant config accepts (/16 to /22), so every in-VPC source fits. IPv6
# /48: one site's customary allocation (the tenant VPC is IPv4-only; wider blocks are providers' ranges).
INGRESS_MIN_PREFIX_V4 = 16
INGRESS_MIN_PREFIX_V6 = 48
# The prefix-length part of an ipBlock.cidr, at least the minimum. kube-apiserver validates the CIDR before
# validating admission with netutils.ParseCIDRSloppy, which accepts leading zeros (`/016` is /16, `/00`
# is /0): `0*` takes them. IPv4 has no `:`; IPv6 has one (IPv4-mapped `::ffff:a.b.c.d/n` is IPv6).
IPV4_NARROW = r"^[^:/]*/0*(?:1[6-9]|2[0-9]|3[0-2])$"
IPV6_NARROW = r"^[^/]*:[^/]*/0*(?:4[89]|[5-9][0-9]|1[01][0-9]|12[0-8])$"
# The taints the DefaultTolerationSeconds admission plugin tolerates on every Pod (NoExecute).
NOT_READY_TOLERATION_KEYS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")

WORKLOAD_RULES = (
    ResourceRule("", "v1", ("pods", "pods/ephemeralcontainers", "replicationcontrollers")),
    ResourceRule("apps", "v1", ("deployments", "statefulsets", "daemonsets", "replicasets")),
    ResourceRule("batch", "v1", ("jobs", "cronjobs")),
)
WORKLOAD_KINDS = (
    "Pod", "ReplicationController", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
)  # fmt: skip
ALL_OPERATIONS = ("CREATE", "UPDATE", "DELETE")


@dataclass(frozen=True)
class AdmissionSettings:
    """What one tenant cluster's policies depend on; built by `landingzone.admission.settings_from_stack`."""

    tenant_id: str
    account_id: str
    region: str
    namespaces: tuple[str, ...]
    """The tenant's namespaces (`<tenant>-<environment>`); all carry label tenant=<tenant>."""
    repositories: tuple[str, ...]
    """ECR repository names; images come from `<account>.dkr.ecr.<region>.amazonaws.com/<tenant>/<name>`."""
    vpc_cidr: str
    egress_allowlist: tuple[str, ...]
    """network.egress_allowlist CIDRs (prefix lists cannot appear in a NetworkPolicy and are left out)."""
    platform_role_arn: str
    """The platform admin role: its sessions are "the platform" (see `platform_username_prefix`)."""
    managed_by: str = "mlops-landing-zone"
    quarantined: bool = False
    """`landingzone:incident` is set: tenants may then create or change no NetworkPolicy (TEN-06)."""

    @property
    def registry_host(self) -> str:
        return f"{self.account_id}.dkr.ecr.{self.region}.amazonaws.com"

    @property
    def registry_hosts(self) -> tuple[str, str]:
        """The tenant registry's two endpoints: the standard one and the FIPS one (`ecr-fips`), which
        ECR serves for the same account's registry in the same region."""
        return self.registry_host, f"{self.account_id}.dkr.ecr-fips.{self.region}.amazonaws.com"

    @property
    def platform_username_prefix(self) -> str:
        """The Kubernetes username EKS gives the admin role's sessions (access entry default).

        EKS maps an IAM role's access entry to `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`
        (the role's path is not part of an assumed-role ARN), so every session of the admin role, and
        nothing else, has a username starting with this prefix.
        """
        _, partition, _, _, account, resource = self.platform_role_arn.split(":", 5)
        role_name = resource.rsplit("/", 1)[-1]
        return f"arn:{partition}:sts::{account}:assumed-role/{role_name}/"

    @property
    def labels(self) -> dict[str, str]:
        return {"tenant": self.tenant_id, "app.kubernetes.io/managed-by": self.managed_by}


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(cel_string(v) for v in values) + "]"


def _alternation(values: Iterable[str]) -> str:
    return "(?:" + "|".join(_re_escape(v) for v in values) + ")"


def _re_escape(text: str) -> str:
    return "".join(f"\\{c}" if c in r".^$*+?()[]{}|\-/" else c for c in text)


# ---------------------------------------------------------------- pod specs of every workload kind

POD_SPEC_VARIABLES = (
    Variable(
        "podSpec",
        "object.kind == 'Pod' ? object.spec : "
        "(object.kind == 'CronJob' ? object.?spec.?jobTemplate.?spec.?template.?spec.orValue({}) : "
        "object.?spec.?template.?spec.orValue({}))",
    ),
    # Ephemeral containers run in the pod too (kubectl debug): judged like the others.
    Variable(
        "containers",
        "variables.podSpec.?initContainers.orValue([]) + variables.podSpec.?containers.orValue([]) + "
        "variables.podSpec.?ephemeralContainers.orValue([])",
    ),
)
_GPU_KEY = "k == 'nvidia.com/gpu' || k.startsWith('nvidia.com/mig-')"
GPU_VARIABLES = (
    Variable(
        "requestsGpu",
        f"variables.containers.exists(c, c.?resources.?requests.orValue({{}}).exists(k, {_GPU_KEY}) || "
        f"c.?resources.?limits.orValue({{}}).exists(k, {_GPU_KEY}))",
    ),
    # Dynamic Resource Allocation: a claim's device class is not visible from the pod, so any claim counts.
    Variable(
        "claimsDevices",
        "variables.podSpec.?resourceClaims.orValue([]).size() > 0 || "
        "variables.containers.exists(c, c.?resources.?claims.orValue([]).size() > 0)",
    ),
    Variable(
        "nodeTerms",
        "variables.podSpec.?affinity.?nodeAffinity.?requiredDuringSchedulingIgnoredDuringExecution"
        ".?nodeSelectorTerms.orValue([])",
    ),
)


def _gpu_placement(s: AdmissionSettings) -> tuple[Variable, ...]:
    tenant = cel_string(s.tenant_id)
    on_nodes = (
        f"variables.podSpec.?nodeSelector.?tenant.orValue('') == {tenant} || "
        "(variables.nodeTerms.size() > 0 && variables.nodeTerms.all(t, t.?matchExpressions.orValue([])"
        ".exists(e, e.?key.orValue('') == 'tenant' && e.?operator.orValue('') == 'In' && "
        f"e.?values.orValue([]).size() > 0 && e.values.all(v, v == {tenant}))))"
    )
    tenant_toleration = (
        "(t.?key.orValue('') == 'tenant' && "
        f"t.?operator.orValue('Equal') == 'Equal' && t.?value.orValue('') == {tenant})"
    )
    # Validating admission sees the Pod after the mutating plugins (kube-apiserver runs mutating, then
    # validating admission), and two built-in plugins add tolerations to every Pod a controller creates:
    # - DefaultTolerationSeconds: node.kubernetes.io/not-ready and .../unreachable, operator Exists,
    #   effect NoExecute, tolerationSeconds 300 (the flag's default; any value or none is accepted: the
    #   tenant's own not-ready toleration replaces the plugin's and lets no pod onto another node);
    # - ExtendedResourceToleration (enabled on EKS): key = each extended resource a container requests
    #   (nvidia.com/gpu, nvidia.com/mig-...), operator Exists, effect NoSchedule.
    # Both are accepted; an extended-resource toleration only for a resource the pod itself requests
    # (requests or limits: defaulting copies extended-resource limits into requests before admission).
    # An extended resource name has a domain (`/`) other than kubernetes.io (helper.IsExtendedResourceName);
    # `t.key` is read only once the extended-resource test has found it set.
    key = "t.?key.orValue('')"
    system_toleration = (
        f"({key} in {_list(NOT_READY_TOLERATION_KEYS)} && "
        "t.?operator.orValue('') == 'Exists' && t.?effect.orValue('') == 'NoExecute') || "
        "(t.?operator.orValue('') == 'Exists' && t.?effect.orValue('') == 'NoSchedule' && "
        f"{_extended_resource(key)} && "
        "variables.containers.exists(c, t.key in c.?resources.?requests.orValue({}) || "
        "t.key in c.?resources.?limits.orValue({})))"
    )
    tolerations = (
        f"variables.podSpec.?tolerations.orValue([]).all(t, {tenant_toleration} || {system_toleration})"
    )
    return (Variable("onTenantNodes", on_nodes), Variable("toleratesOnlyTenant", tolerations))


def _extended_resource(name: str) -> str:
    """CEL: `name` is an extended resource (has a domain, not kubernetes.io, not a quota `requests.` name)."""
    return f"({name}.contains('/') && !{name}.contains('kubernetes.io/') && !{name}.startsWith('requests.'))"


def gpu_placement_policy(s: AdmissionSettings) -> Policy:
    t = s.tenant_id
    where = f"nodeSelector tenant={t} (or a required node affinity tenant In [{t}] in every term)"
    only = (
        f"only the toleration tenant={t} (operator Equal), besides those kube-apiserver adds "
        "(node.kubernetes.io/not-ready and node.kubernetes.io/unreachable: Exists, NoExecute; an extended "
        "resource the pod requests: Exists, NoSchedule)"
    )
    return Policy(
        name=f"{POLICY_PREFIX}gpu-06-gpu-on-tenant-nodes",
        control="GPU-06",
        description="Pods requesting GPUs, MIG slices or DRA devices run on the tenant's nodes only, and no "
        "pod chooses its GPUs through NVIDIA_VISIBLE_DEVICES.",
        rules=WORKLOAD_RULES,
        variables=(*POD_SPEC_VARIABLES, *GPU_VARIABLES, *_gpu_placement(s)),
        validations=(
            Validation(
                "gpu-node-selector",
                "GPU-06",
                "!variables.requestsGpu || variables.onTenantNodes",
                f"GPU-06: a pod spec requesting nvidia.com/gpu or nvidia.com/mig-* must select the tenant's "
                f"nodes; required: {where}",
                mirrors="gpu-06-gpu-pods-on-tenant-nodes",
            ),
            Validation(
                "gpu-tolerations",
                "GPU-06",
                "!variables.requestsGpu || variables.toleratesOnlyTenant",
                f"GPU-06: a pod spec requesting nvidia.com/gpu or nvidia.com/mig-* has tolerations beyond "
                f"the tenant's taint; required: {only}",
                mirrors="gpu-06-gpu-pods-tolerate-only-tenant",
            ),
            Validation(
                "claims-node-selector",
                "GPU-06",
                "variables.requestsGpu || !variables.claimsDevices || variables.onTenantNodes",
                f"GPU-06: a pod spec with resourceClaims (DRA devices) must select the tenant's nodes; "
                f"required: {where}",
            ),
            # With nvidia as the node's default container runtime, the NVIDIA container runtime hands a
            # container the GPUs its NVIDIA_VISIBLE_DEVICES names ("all": every GPU of the node), whatever
            # the pod requested: quotas, the device plugin's allocation and MIG partitioning are bypassed.
            # The device plugin sets the variable itself for the devices it allocates, so a pod spec never
            # needs it; any entry by that name (value or valueFrom) is refused, and the value is not shown.
            Validation(
                "nvidia-visible-devices",
                "GPU-06",
                "variables.containers.all(c, c.?env.orValue([]).all(e, e.?name.orValue('') != "
                f"{cel_string(NVIDIA_VISIBLE_DEVICES)}))",
                f"GPU-06: a container env var is named {NVIDIA_VISIBLE_DEVICES} (env[*].name), which makes "
                "the NVIDIA runtime expose GPUs the pod did not request; required: no such env var (request "
                "nvidia.com/gpu or nvidia.com/mig-*: the device plugin sets it)",
            ),
            Validation(
                "claims-tolerations",
                "GPU-06",
                "variables.requestsGpu || !variables.claimsDevices || variables.toleratesOnlyTenant",
                f"GPU-06: a pod spec with resourceClaims (DRA devices) has tolerations beyond the tenant's "
                f"taint; required: {only}",
            ),
        ),
    )


def privilege_policy() -> Policy:
    context = "c.?securityContext"
    return Policy(
        name=f"{POLICY_PREFIX}gpu-06-unprivileged",
        control="GPU-06",
        description="No container is privileged, may escalate privileges or adds capabilities.",
        rules=WORKLOAD_RULES,
        variables=POD_SPEC_VARIABLES,
        validations=(
            Validation(
                "privileged",
                "GPU-06",
                f"variables.containers.all(c, {context}.?privileged.orValue(false) != true)",
                "GPU-06: securityContext.privileged is true in a container; required: false or absent",
                mirrors="gpu-06-pods-unprivileged",
            ),
            Validation(
                "privilege-escalation",
                "GPU-06",
                f"variables.containers.all(c, {context}.?allowPrivilegeEscalation.orValue(false) != true)",
                "GPU-06: securityContext.allowPrivilegeEscalation is true in a container; required: false",
                mirrors="gpu-06-pods-unprivileged",
            ),
            Validation(
                "privilege-escalation-explicit",
                "GPU-06",
                f"variables.containers.all(c, {context}.?allowPrivilegeEscalation.hasValue())",
                "GPU-06: securityContext.allowPrivilegeEscalation is not set in a container (Kubernetes "
                "default: true); required: false",
                mirrors="gpu-06-pods-unprivileged",
            ),
            Validation(
                "capabilities",
                "GPU-06",
                f"variables.containers.all(c, {context}.?capabilities.?add.orValue([]).size() == 0)",
                "GPU-06: securityContext.capabilities.add is set in a container; required: no added "
                "capabilities (drop ALL)",
                mirrors="gpu-06-pods-unprivileged",
            ),
        ),
    )


def host_policy() -> Policy:
    flags = tuple(
        Validation(
            field.lower(),
            "GPU-06",
            f"variables.podSpec.?{field}.orValue(false) != true",
            f"GPU-06: the pod spec has {field} true; required: false or absent",
            mirrors="gpu-06-pods-off-the-host",
        )
        for field in ("hostNetwork", "hostPID", "hostIPC")
    )
    return Policy(
        name=f"{POLICY_PREFIX}gpu-06-off-the-host",
        control="GPU-06",
        description="No pod shares the node's network, PID or IPC namespace or mounts a hostPath volume.",
        rules=WORKLOAD_RULES,
        variables=POD_SPEC_VARIABLES,
        validations=(
            *flags,
            Validation(
                "hostpath",
                "GPU-06",
                "variables.podSpec.?volumes.orValue([]).all(v, !has(v.hostPath))",
                "GPU-06: the pod spec has a hostPath volume (spec.volumes[*].hostPath); required: no "
                "hostPath "
                "volumes (use a PersistentVolumeClaim or emptyDir)",
                mirrors="gpu-06-pods-off-the-host",
            ),
        ),
    )


def image_policy(s: AdmissionSettings) -> Policy:
    repositories = _alternation(f"{s.tenant_id}/{name}" for name in s.repositories)
    # The host in any ASCII case (a DNS name, RFC 4343; the repository path after it stays
    # case-sensitive: the reference grammar and ECR allow only lower-case repository names), the
    # standard or the FIPS endpoint of the same account and region, and optionally the explicit port
    # `:443`: ECR serves its registry API over HTTPS only, on 443, so `host:443` is the same registry.
    # Any other port is refused.
    hosts = "(?:" + "|".join(patterns.caseless_host(h) for h in s.registry_hosts) + ")"
    registry = f"^{hosts}(?::443)?/{repositories}(?:[:@]|$)"
    allowed = ", ".join(f"{s.registry_host}/{s.tenant_id}/{name}" for name in s.repositories)
    return Policy(
        name=f"{POLICY_PREFIX}prov-06-pinned-tenant-images",
        control="PROV-06",
        description="Every container image is pinned by digest and comes from the tenant's ECR repositories.",
        rules=WORKLOAD_RULES,
        variables=POD_SPEC_VARIABLES,
        validations=(
            Validation(
                "digest",
                "PROV-06",
                "variables.containers.all(c, "
                f"c.?image.orValue('').matches({cel_string(patterns.DIGEST_PINNED)}))",
                "PROV-06: a container's image is not pinned by digest; required: "
                "<repository>@sha256:<64 hex characters>",
                mirrors="prov-06-images-pinned-by-digest",
            ),
            Validation(
                "registry",
                "PROV-06",
                f"variables.containers.all(c, c.?image.orValue('').matches({cel_string(registry)}))",
                f"PROV-06: a container's image is not from the tenant's ECR repositories; required: one of "
                f"{allowed}",
            ),
        ),
    )


_NAME = f"(e.name.size() > {patterns.MAX_NAME} ? e.name.substring(0, {patterns.MAX_NAME}) : e.name)"


def _name_suggests_secret() -> str:
    return (
        f"(!{_NAME}.matches({cel_string(patterns.qualifier_regex())}) && "
        f"{_NAME}.matches({cel_string(patterns.secret_word_regex())}))"
    )


def _token_setting(v: str) -> str:
    """CEL: the name's only secret word is TOKEN and the value `v` cannot be a token (`[PAD]`, `512`):
    credentials.literal_under_secret_name's exemption for tokenizer settings and token counts."""
    return (
        f"({_NAME}.matches({cel_string(patterns.token_word_regex())}) && "
        f"!{_NAME}.matches({cel_string(patterns.other_secret_word_regex())}) && "
        f"{v}.matches({cel_string(patterns.NOT_A_TOKEN_VALUE)}))"
    )


def _literal_secret(v: str = "e.value") -> str:
    """CEL: the string `v`, as the value of env entry `e`, is a literal credential (SEC-04)."""
    looks_like = (
        f"{v}.matches({cel_string(patterns.CREDENTIAL_VALUE)}) || "
        f"({v}.matches({cel_string(patterns.URL_PASSWORD)}) && "
        f"!{v}.matches({cel_string(patterns.URL_PASSWORD_REFERENCE)})) || "
        f"({v}.matches({cel_string(patterns.PASSWORD_ASSIGNMENT)}) && "
        f"!{v}.matches({cel_string(patterns.PASSWORD_ASSIGNMENT_REFERENCE)}))"
    )
    named = (
        f"(has(e.name) && !{v}.matches({cel_string(patterns.REFERENCE_VALUE)}) && {_name_suggests_secret()} "
        f"&& !{_token_setting(v)})"
    )
    return f"{v} != '' && ({looks_like} || {named})"


# Kubernetes' `$$` escape as credentials.kubernetes_references reads it: replaced by NUL (a CEL escape, so
# the manifest stays printable), which no env var name contains, before `$(NAME)` is looked for.
_NUL = "'\\x00'"


def _expansions() -> str:
    """CEL, inside `c` (container) and `e` (env entry): no other entry `x` of the container with a
    literal `value` whose `$(x.name)` reference in `e.value` makes `e` a literal secret once expanded.

    kubelet expands `$(NAME)` from earlier env entries (`$$` escapes), so `X=hunter2` with
    `DB_PASSWORD=$(X)` hands the literal to DB_PASSWORD at run time. CEL has no fold to expand every
    reference of a value in turn, so each is judged on its own, exactly as
    credentials.kubernetes_expand does it; and no list indices (two-variable comprehensions are not in
    every Kubernetes version EKS serves, nor in cel-cpp), so any other entry counts, not only earlier
    ones: a reference to a later entry, which kubelet leaves unexpanded, is refused needlessly.
    """
    escaped = f"e.value.replace('$$', {_NUL})"
    reference = "'$(' + x.name + ')'"
    # A value that itself expands a variable contributes a literal placeholder: chains are not followed.
    contribution = f"(x.value.replace('$$', {_NUL}).contains('$(') ? {_NUL} : x.value)"
    expanded = f"{escaped}.replace({reference}, {contribution})"
    candidate = (
        "has(x.name) && has(x.value) && !(e.?name.orValue('') == x.name && x.value == e.value) && "
        f"{escaped}.contains({reference})"
    )
    # Only a value holding an unescaped `$(` is compared with the other entries: the others cost O(1).
    return f"!{escaped}.contains('$(') || c.env.all(x, !({candidate}) || !({_literal_secret(expanded)}))"


def env_secret_policy() -> Policy:
    return Policy(
        name=f"{POLICY_PREFIX}sec-04-no-literal-secrets",
        control="SEC-04",
        description="No container env var holds a literal credential or a literal under a "
        "secret-suggesting name.",
        rules=WORKLOAD_RULES,
        variables=POD_SPEC_VARIABLES,
        validations=(
            Validation(
                "env",
                "SEC-04",
                "variables.containers.all(c, c.?env.orValue([]).all(e, "
                f"!(has(e.value) && {_literal_secret()})))",
                "SEC-04: a container env var (env[*].value) has a literal value that looks like a "
                "credential or "
                "sits under a secret-suggesting name; required: valueFrom.secretKeyRef (or a mounted Secret "
                "volume)",
                mirrors="sec-04-k8s-env-secrets",
            ),
            Validation(
                "env-expansion",
                "SEC-04",
                f"variables.containers.all(c, c.?env.orValue([]).all(e, !has(e.value) || {_expansions()}))",
                "SEC-04: a container env var (env[*].value) expands $(NAME) of another env var of the "
                "container that has a literal value, and so holds a literal that looks like a credential or "
                "sits under a secret-suggesting name; required: valueFrom.secretKeyRef for the expanded "
                "variable (or a mounted Secret volume)",
                mirrors="sec-04-k8s-env-secrets",
            ),
        ),
    )


def token_policy() -> Policy:
    return Policy(
        name=f"{POLICY_PREFIX}sec-07-no-default-token-mounts",
        control="SEC-07",
        description="Service accounts and pods do not mount API tokens by default.",
        rules=(
            ResourceRule("", "v1", ("serviceaccounts",)),
            *WORKLOAD_RULES,
        ),
        # The service-account controller creates each namespace's `default` account; pods using it must
        # then opt out themselves (validation "pod-automount").
        match_conditions=(
            MatchCondition(
                "not-the-controllers-default-account",
                f"!(object.kind == 'ServiceAccount' && object.?metadata.?name.orValue('') == 'default' && "
                f"request.userInfo.username in {_list(SERVICE_ACCOUNT_CONTROLLERS)})",
            ),
        ),
        variables=POD_SPEC_VARIABLES,
        validations=(
            Validation(
                "service-account-automount",
                "SEC-07",
                f"object.kind != 'ServiceAccount' || "
                # Only an IAM role ARN excuses the mount: any other value (`x`) gives the pod no AWS
                # identity, and the service account's pods would then mount the API token.
                f"object.?metadata.?annotations[?{cel_string(IRSA_ANNOTATION)}].orValue('')"
                f".matches({cel_string(patterns.IRSA_ROLE_ARN)}) || "
                "object.?automountServiceAccountToken.orValue(true) == false",
                "SEC-07: the ServiceAccount has automountServiceAccountToken missing or true; "
                "required: false, "
                f"or the annotation {IRSA_ANNOTATION} set to an IAM role ARN "
                "(arn:<aws|aws-cn|aws-us-gov>:iam::<12 digits>:role/<path/name>)",
                mirrors="sec-07-sa-token-automount",
            ),
            Validation(
                "pod-automount",
                "SEC-07",
                "object.kind == 'ServiceAccount' || variables.podSpec.?automountServiceAccountToken.orValue("
                "variables.podSpec.?serviceAccountName.orValue('') in ['', 'default']) == false",
                "SEC-07: the pod spec mounts a service account token by default "
                "(automountServiceAccountToken "
                "true, or unset with the default service account); required: automountServiceAccountToken "
                "false, or a named service account that sets it false",
            ),
        ),
    )


def network_policy_policy(s: AdmissionSettings) -> Policy:
    inside = _list((*s.namespaces, KUBE_SYSTEM))
    tenant = cel_string(s.tenant_id)
    destinations = _list((s.vpc_cidr, *s.egress_allowlist))
    pinned = (
        f"p.namespaceSelector.?matchLabels[?'kubernetes.io/metadata.name'].orValue('') in {inside} || "
        f"p.namespaceSelector.?matchLabels.?tenant.orValue('') == {tenant}"
    )
    allowed_text = ", ".join((s.vpc_cidr, *s.egress_allowlist))
    peers_inside = (
        f"the tenant's namespaces ({', '.join(s.namespaces)}), label tenant={s.tenant_id}, or kube-system"
    )

    def peers(direction: str, key: str, check: str) -> str:
        return f"object.spec.?{direction}.orValue([]).all(r, r.?{key}.orValue([]).all(p, {check}))"

    return Policy(
        name=f"{POLICY_PREFIX}data-07-egress-allowlist",
        control="DATA-07",
        description="NetworkPolicies open no egress beyond the declared allowlist and no path to "
        "other tenants.",
        rules=(ResourceRule("networking.k8s.io", "v1", ("networkpolicies",)),),
        validations=(
            Validation(
                "egress-peers",
                "DATA-07",
                "object.spec.?egress.orValue([]).all(r, r.?to.orValue([]).size() > 0)",
                "DATA-07: a NetworkPolicy egress rule has no `to` (spec.egress[*].to), which allows every "
                "destination; required: named peers",
            ),
            Validation(
                "egress-ip-blocks",
                "DATA-07",
                peers("egress", "to", f"!has(p.ipBlock) || p.ipBlock.cidr in {destinations}"),
                f"DATA-07: a NetworkPolicy egress ipBlock (spec.egress[*].to[*].ipBlock.cidr) is not in the "
                f"tenant VPC or network.egress_allowlist; required: one of {allowed_text}",
            ),
            Validation(
                "egress-namespaces",
                "DATA-07",
                peers("egress", "to", f"!has(p.namespaceSelector) || {pinned}"),
                f"DATA-07: a NetworkPolicy egress namespaceSelector (spec.egress[*].to[*].namespaceSelector) "
                f"selects namespaces outside the tenant; required: matchLabels naming {peers_inside}",
            ),
            Validation(
                "ingress-peers",
                "DATA-07",
                "object.spec.?ingress.orValue([]).all(r, r.?from.orValue([]).size() > 0)",
                "DATA-07: a NetworkPolicy ingress rule has no `from` (spec.ingress[*].from), which "
                "allows every "
                "source; required: named peers",
            ),
            # CIDRs are strings here (no cidr() in cel-cpp), so the check is on the prefix length, which no
            # spelling of an address changes: `::0/0`, `0::/0`, `1.2.3.4/0` and the halves `0.0.0.0/1` +
            # `128.0.0.0/1` are all shorter than the minimum. NetworkPolicy peers add up, so a minimum is
            # what bounds the union: covering the IPv4 internet with /16 blocks takes 65,536 peers, more
            # than an object may hold (etcd's 1.5 MiB request limit).
            Validation(
                "ingress-ip-blocks",
                "DATA-07",
                peers(
                    "ingress",
                    "from",
                    "!has(p.ipBlock) || "
                    f"p.ipBlock.cidr.matches({cel_string(IPV4_NARROW)}) || "
                    f"p.ipBlock.cidr.matches({cel_string(IPV6_NARROW)})",
                ),
                "DATA-07: a NetworkPolicy ingress ipBlock (spec.ingress[*].from[*].ipBlock.cidr) is wider "
                f"than /{INGRESS_MIN_PREFIX_V4} (IPv4) or /{INGRESS_MIN_PREFIX_V6} (IPv6), which includes "
                "any spelling of 0.0.0.0/0 and ::/0; required: a prefix length of at least "
                f"/{INGRESS_MIN_PREFIX_V4} for IPv4 (the tenant VPC is /16 to /22) and "
                f"/{INGRESS_MIN_PREFIX_V6} for IPv6",
            ),
            Validation(
                "ingress-namespaces",
                "DATA-07",
                peers("ingress", "from", f"!has(p.namespaceSelector) || {pinned}"),
                "DATA-07: a NetworkPolicy ingress namespaceSelector "
                "(spec.ingress[*].from[*].namespaceSelector) "
                f"selects namespaces outside the tenant; required: matchLabels naming {peers_inside}",
            ),
        ),
    )


def guardrail_policy(s: AdmissionSettings) -> Policy:
    # The name comes from the object, never from request.name: a collection delete
    # (DELETE .../networkpolicies?fieldSelector=metadata.name=quarantine-deny-all) admits each item
    # with the collection's name, "" (apiserver rest.AdmissionToValidateObjectDeleteFunc copies the
    # static attributes' name and sets oldObject to the item). On DELETE `object` is null and
    # `oldObject` the stored object; names are immutable, so on UPDATE both carry the same one.
    name = "(request.operation == 'DELETE' ? oldObject : object).?metadata.?name.orValue('')"
    guarded = (
        f"request.resource.resource != 'networkpolicies' || {name} in {_list(PLATFORM_NETWORK_POLICIES)}"
    )
    # During a quarantine every NetworkPolicy CREATE/UPDATE is the platform's too: NetworkPolicies add up,
    # so one more allow-all policy would reopen what quarantine-deny-all closes. Deleting a tenant policy
    # only takes an allowance away (quarantine-deny-all still selects every pod) and stays allowed.
    applies = f"request.operation != 'DELETE' || {guarded}" if s.quarantined else guarded
    quarantine = (
        (
            Validation(
                "quarantine-network-policies",
                "TEN-06",
                "variables.isPlatform || variables.platformObject",
                "TEN-06: the tenant is quarantined (landingzone:incident), and NetworkPolicies in its "
                "namespaces are then created and changed by the platform only (request.userInfo.username); "
                f"required: a session of {s.platform_role_arn}, or the tenant's release",
            ),
        )
        if s.quarantined
        else ()
    )
    return Policy(
        name=f"{POLICY_PREFIX}ten-06-platform-guardrails",
        control="TEN-06",
        description="Only the platform creates, changes or deletes quotas, limit ranges and its own "
        "network policies (default-deny, quarantine-deny-all), and during a quarantine creates or changes "
        "any network policy.",
        rules=(
            ResourceRule("", "v1", ("resourcequotas", "limitranges"), ALL_OPERATIONS),
            ResourceRule("networking.k8s.io", "v1", ("networkpolicies",), ALL_OPERATIONS),
        ),
        match_conditions=(MatchCondition("quota-limits-or-platform-network-policy", applies),),
        variables=(
            Variable(
                "isPlatform",
                f"request.userInfo.username.startsWith({cel_string(s.platform_username_prefix)}) || "
                "(request.operation == 'DELETE' && request.userInfo.username == "
                f"{cel_string(NAMESPACE_CONTROLLER)})",
            ),
            Variable("platformObject", guarded),
        ),
        validations=(
            Validation(
                "platform-only",
                "TEN-06",
                "variables.isPlatform || !variables.platformObject",
                f"TEN-06: ResourceQuotas, LimitRanges and the NetworkPolicies "
                f"{' and '.join(PLATFORM_NETWORK_POLICIES)} are managed by the platform only "
                f"(request.userInfo.username); required: a session of {s.platform_role_arn}",
            ),
            *quarantine,
        ),
    )


def tenant_policies(s: AdmissionSettings) -> list[Policy]:
    """Every admission policy of the tenant's cluster, in a stable order, labelled for the tenant."""
    built = [
        gpu_placement_policy(s),
        privilege_policy(),
        host_policy(),
        image_policy(s),
        env_secret_policy(),
        token_policy(),
        network_policy_policy(s),
        guardrail_policy(s),
    ]
    return [replace(p, tenant=s.tenant_id, labels=s.labels) for p in built]
