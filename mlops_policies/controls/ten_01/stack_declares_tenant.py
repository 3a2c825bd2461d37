"""The gatekeeper for stacks that are not tenant landing zones.

Published packs are enabled org-wide through policy groups, so they also meet other teams' projects,
which have no `landingzone:tenant` config. Judging those as regulated tenants buries them under
findings that mean nothing; passing them silently would let any project dodge the controls by
dropping one config key. So every other policy stands down on such a stack (not applicable), and
this one decides: blocked, unless the org admin lists the project in `projectsWithoutTenant`.
"""

from __future__ import annotations

import fnmatch
import os

from pulumi_policy import Severity

from mlops_policies.rule import StackCheck, stack_rule


@stack_rule(
    "ten-01-stack-declares-tenant",
    control="TEN-01",
    types=[],
    severity=Severity.HIGH,
    description="Every stack the packs judge declares its tenant in stack config landingzone:tenant, or "
    "its project matches a pattern in `projectsWithoutTenant` (set by the org admin; default: none).",
    remediation="Add landingzone:tenant to the stack config (tenantctl onboard writes it); or, for a "
    "project that is not a landing zone, have the org admin add its name to projectsWithoutTenant in "
    "this policy's config, or move its stacks to a policy group without these packs.",
    config={
        "projectsWithoutTenant": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Project names (globs) whose stacks are not tenant landing zones: they pass "
            "this policy and every other policy of the pack stands down on them.",
        }
    },
    judges_undeclared=True,
)
def stack_declares_tenant(stack: StackCheck) -> None:
    if stack.tenant.declared:
        return
    # The CLI hands every analyzer the stack's project and stack names in these variables.
    project = os.environ.get("PULUMI_PROJECT", "")
    stack_name = os.environ.get("PULUMI_STACK", "")
    allowed = [p for p in stack.config["projectsWithoutTenant"] if isinstance(p, str)]
    if project and any(fnmatch.fnmatchcase(project, pattern) for pattern in allowed):
        return
    where = f"stack '{project or '(project not set)'}/{stack_name or '(stack not set)'}'"
    stack.fail(
        None,
        f"{where} has no landingzone:tenant config and project '{project or '(not set)'}' is not in "
        "projectsWithoutTenant; required: a landingzone:tenant config, or the project listed by the "
        "org admin",
    )
