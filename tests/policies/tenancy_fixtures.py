"""Shared by the tenancy tests of several controls."""

from __future__ import annotations

import json
from typing import Any

from tests.policies.harness import ACME, UNKNOWN, Res

BUCKET = "aws:s3/bucket:Bucket"
KEY = "aws:kms/key:Key"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
NAMESPACE = "kubernetes:core/v1:Namespace"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
QUOTA = "kubernetes:core/v1:ResourceQuota"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
TAGS = {"tenant": "acme", "environment": "shared", "managed-by": "mlops-landing-zone"}
NO_TENANT = {"tier": "standard", "network": {"cidr": "10.9.0.0/16"}}


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


NAMESPACE_PROPS = {
    "metadata": {
        "name": "acme-dev",
        "labels": {
            "tenant": "acme",
            "environment": "dev",
            "pod-security.kubernetes.io/enforce": "restricted",
        },
    }
}


TENANT = {**ACME, "environments": ["dev", "prod"]}


DNS = {
    "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
}


DENY_ALL = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"], "egress": [DNS]}


def trust(*subjects: str) -> str:
    condition = (
        {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/X:sub": list(subjects)}} if subjects else {}
    )
    return doc(
        {
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/x"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            **({"Condition": condition} if condition else {}),
        }
    )


def environment(env: str, *, name: str | None = None) -> list[Res]:
    ns = f"acme-{env}"
    metadata = {
        "labels": {"tenant": "acme", "environment": env},
        **({"name": name or ns} if name != "" else {}),
    }
    in_ns = {"namespace": name or ns} if name != "" else {"namespace": UNKNOWN}
    deps = {"metadata": [ns]}
    return [
        Res(NAMESPACE, ns, {"metadata": metadata}),
        Res(
            QUOTA,
            f"{env}-quota",
            {"metadata": in_ns, "spec": {"hard": {"requests.cpu": "8"}}},
            prop_deps=deps,
        ),
        Res(NETWORK_POLICY, f"{env}-deny", {"metadata": in_ns, "spec": DENY_ALL}, prop_deps=deps),
        Res(
            ROLE,
            f"{env}-workload",
            {"assumeRolePolicy": trust(f"system:serviceaccount:{name or ns}:workload")},
        ),
    ]


STACK = [*environment("dev"), *environment("prod")]


ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"


def shared_role_stack() -> list[Res]:
    """The two environments, their own workload roles replaced by one role `shared` that serves dev by
    IRSA (acme-dev:trainer) and prod by Pod Identity (trust and an association for acme-prod:trainer)."""
    irsa = json.loads(trust("system:serviceaccount:acme-dev:trainer"))["Statement"][0]
    pod_identity = {
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {"StringEquals": {
            "aws:RequestTag/eks-cluster-name": "acme-cluster",
            "aws:RequestTag/kubernetes-namespace": "acme-prod",
            "aws:RequestTag/kubernetes-service-account": "trainer",
        }},
    }  # fmt: skip
    return [
        *[r for r in STACK if r.type != ROLE],
        Res(ROLE, "shared", {"name": "acme-shared-workload", "assumeRolePolicy": doc(irsa, pod_identity)}),
        Res(
            ASSOCIATION,
            "prod-trainer",
            {
                "clusterName": "acme-cluster",
                "namespace": "acme-prod",
                "serviceAccount": "trainer",
                "roleArn": "arn:aws:iam::111122223333:role/acme-shared-workload",
            },
        ),
    ]
