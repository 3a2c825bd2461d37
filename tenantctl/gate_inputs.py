"""What the gate judges besides each stack's program: the policy-config file and the fleet invariants.

Both are judged once per run, before any stack is checked, and turned into findings on the stacks
they concern. They are added to each stack's result after the run (never stored in the cache): a
cached clean result stays valid for its own stack file, while the policy config, platform.yaml and
the other stacks of the fleet are judged afresh every time.

- The policy config (mlops_policies.policy_config): unusable input is a usage error (exit 2); a
  threshold looser than the catalog or a bad exemption is a violation of the policy it concerns.
- The fleet (tenantctl.onboarding.fleet): unique tenant ids, file name = id, no VPC CIDR overlapping
  another stack's. `validate` reports the same problems; here they block the gate like any finding.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenantctl.model import OK, VIOLATION, Finding, StackResult
from tenantctl.packs import applicable_packs
from tenantctl.policy_config import PolicyConfigFileError

FLEET_ID_POLICY = "ten-02-fleet-unique-tenant-ids"
FLEET_CIDR_POLICY = "data-10-fleet-no-overlapping-cidrs"
_FLEET = {
    FLEET_ID_POLICY: (
        "TEN-02",
        "tenancy",
        "Give the tenant an id no other stack uses, and name its file stacks/Pulumi.<id>.yaml.",
    ),
    FLEET_CIDR_POLICY: (
        "DATA-10",
        "data-leakage",
        "Give the tenant a network.cidr that overlaps no other stack's (tenantctl onboard picks a free one).",
    ),
}
CONFIG_REMEDIATION = (
    "Set the threshold within the catalog bound (stricter is allowed), or fix the exemption: a URN naming "
    "a resource type and a name, a reason, an approver from platform.yaml and an expiry within its limit."
)


@dataclass(frozen=True)
class PolicyConfig:
    """The reviewed policy-config file: what goes to the packs, and the findings it causes."""

    config: dict[str, Any] = field(default_factory=dict)
    findings: tuple[tuple[str, str, str, str], ...] = ()
    """(pack, policy, control, message) per weakened threshold or bad exemption."""
    cache_text: str = ""
    source: dict[str, Any] = field(default_factory=dict)
    """The file as this check read it (once): what its decision records hash."""


def conventional_path(project_dir: Path) -> Path:
    from mlops_policies.policy_config import CONVENTIONAL_PATH

    return project_dir / CONVENTIONAL_PATH


def review_policy_config(path: Path | None, project_dir: Path) -> PolicyConfig:
    """Read and judge the policy-config file; PolicyConfigFileError (exit 2) when it is unusable."""
    from mlops_policies import policy_config as pc
    from mlops_policies import policy_index
    from tenantctl.onboarding.defaults import load_exemption_settings
    from tenantctl.onboarding.errors import Refusal
    from tenantctl.policy_config import load_policy_config

    data, text = load_policy_config(path)
    try:
        approvers, max_days = load_exemption_settings(project_dir)
    except Refusal as err:
        raise PolicyConfigFileError(str(err)) from None
    policies = policy_index.load()
    platform = pc.PlatformExemptions(approvers, max_days)
    review = pc.review(data, str(path) if path else "policy config", policies, platform)
    if review.errors:
        listing = "\n".join(f"  - {e}" for e in review.errors)
        raise PolicyConfigFileError(f"unusable policy config ({len(review.errors)} problem(s)):\n{listing}")
    # platform.yaml's exemption settings change verdicts too: they belong in the cache key.
    cache_text = text + "\0" + json.dumps({"approvers": approvers, "max_days": max_days})
    findings = tuple((f.pack, f.policy, f.control, f.message) for f in review.findings)
    return PolicyConfig(review.config, findings, cache_text, data)


def fleet_findings(project_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """Stack name -> (policy, message) per broken fleet invariant."""
    from tenantctl.onboarding.fleet import fleet_problems, read_fleet

    found: dict[str, list[tuple[str, str]]] = {}
    for stack, problems in fleet_problems(read_fleet(project_dir)).items():
        for problem in problems:
            policy = FLEET_CIDR_POLICY if ".network.cidr:" in problem.split(" ", 1)[0] else FLEET_ID_POLICY
            found.setdefault(stack, []).append((policy, problem))
    return found


def add_findings(
    results: Sequence[StackResult],
    policy_config: PolicyConfig,
    fleet: Mapping[str, list[tuple[str, str]]],
) -> None:
    """Attach the run-wide findings to every stack that was checked (not to unreadable ones)."""
    for result in results:
        if result.status != OK:
            continue
        packs = set(applicable_packs(result.tier))
        for pack, policy, control, message in policy_config.findings:
            if pack in packs:
                result.findings.append(
                    _finding(pack, policy, control, _area(control), message, CONFIG_REMEDIATION)
                )
        for policy, message in fleet.get(result.stack, []):
            control, area, remediation = _FLEET[policy]
            result.findings.append(_finding("tenantctl", policy, control, area, message, remediation))


def _area(control: str) -> str:
    from landingzone.controls import load_controls

    entry = load_controls().controls.get(control)
    return entry.area if entry else "other"


def _finding(pack: str, policy: str, control: str, area: str, message: str, remediation: str) -> Finding:
    return Finding(
        kind=VIOLATION,
        pack=pack,
        policy=policy,
        control=control,
        area=area,
        enforcement="mandatory",
        severity="high",
        urn="",
        resource_type="",
        resource_name="",
        message=message,
        remediation=remediation,
    )


# ---------------------------------------------------------------- the same config for the Pulumi CLI


def write_pack_configs(project_dir: Path, source: Path, out_dir: Path) -> dict[str, Path]:
    """One `--policy-pack-config` file per pack, exactly as the gate hands the config to the packs.

    The Pulumi CLI takes one config per pack and refuses names a pack does not declare; the packs
    also need platform.yaml's approvers. Refuses (PolicyConfigFileError) an unusable file, and a file
    that loosens a control or holds a bad exemption (ValueError): the deploy must not run on a config
    the gate would block.
    """
    from mlops_policies.packs import PACK_LEVELS, pack_rules
    from tenantctl.policy_config import config_for_pack

    reviewed = review_policy_config(source, project_dir)
    if reviewed.findings:
        raise ValueError("; ".join(message for _, _, _, message in reviewed.findings))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for pack in PACK_LEVELS:
        names = {rule.name for rule in pack_rules(pack)}
        config = config_for_pack(reviewed.config, pack, names, set(PACK_LEVELS))
        path = out_dir / f"{pack}.json"
        path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
        written[pack] = path
    return written


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    import sys

    from mlops_policies.policy_config import CONVENTIONAL_PATH

    parser = argparse.ArgumentParser(
        prog="python -m tenantctl.gate_inputs",
        description="Write one policy-pack config per pack (for `pulumi preview/up --policy-pack-config`).",
    )
    parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    parser.add_argument("--policy-pack-config", type=Path, default=None, help=f"default {CONVENTIONAL_PATH}")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    args = parser.parse_args(argv)
    project_dir = args.project_dir.resolve()
    source = args.policy_pack_config or conventional_path(project_dir)
    try:
        written = write_pack_configs(project_dir, source, args.out)
    except PolicyConfigFileError as err:
        print(f"{source}: {err}", file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"{source}: the gate blocks this config: {err}", file=sys.stderr)
        return 1
    for pack, path in written.items():
        print(f"{pack}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
