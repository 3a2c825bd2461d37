"""Fixtures shared by the tests of several GPU-06 rules."""

from __future__ import annotations

DEPLOYMENT = "kubernetes:apps/v1:Deployment"


POD_SPEC = {
    "nodeSelector": {"tenant": "acme"},
    "tolerations": [{"key": "tenant", "operator": "Equal", "value": "acme", "effect": "NoSchedule"}],
    "containers": [
        {
            "name": "train",
            "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/models@sha256:" + "a" * 64,
            "resources": {"limits": {"nvidia.com/mig-3g.40gb": "1"}},
            "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
        }
    ],
}


WORKLOAD = {
    "metadata": {"namespace": "acme-dev", "labels": {"tenant": "acme"}},
    "spec": {"replicas": 1, "template": {"metadata": {"labels": {"app": "train"}}, "spec": POD_SPEC}},
}


PATH = "spec.template.spec"
