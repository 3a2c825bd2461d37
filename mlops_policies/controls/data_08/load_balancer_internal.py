"""The rule `data-08-load-balancer-internal`, one of the DATA-08 rules.

DATA-08: Serving endpoints and clusters are not public.
"""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies import network as net
from mlops_policies.messages import as_shown
from mlops_policies.props import as_bool, get
from mlops_policies.rule import ResourceCheck, resource_rule


@resource_rule(
    "data-08-load-balancer-internal",
    control="DATA-08",
    types=net.LOAD_BALANCERS,
    severity=Severity.HIGH,
    description="Load balancers (application, network and Classic) are internal.",
    remediation="Set internal=True on the aws.lb.LoadBalancer or aws.elb.LoadBalancer (a missing value "
    "means internet-facing).",
)
def load_balancer_internal(r: ResourceCheck) -> None:
    internal = get(r.props, "internal")
    if as_bool(internal) is not True:
        r.fail(f"{r.label} has internal {as_shown(internal)}; required: true")
