"""What `tenantctl <command> --help` tells a user: a description, examples and the exit codes.

Written for users, kept apart from the modules' docstrings (those are for developers). Every
sub-command's parser is created by `add_command`, so none can ship without the three parts; the help
snapshots in tests/tenantctl/help/ pin the result (regenerate: see README, "Help snapshots").
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CommandHelp:
    summary: str
    """One line, shown in `tenantctl --help`."""
    description: str
    examples: tuple[str, ...]
    exit_codes: tuple[tuple[int, str], ...]


GATE_EXIT_CODES = (
    (0, "clean: no mandatory violation (advisories allowed)"),
    (1, "mandatory violations; with --strict also mandatory policies that cannot decide in preview"),
    (
        2,
        "bad usage, a missing project or stack, bad stack config or bad policy-pack config;\n"
        "no report is written",
    ),
    (3, "a policy pack or the program crashed: the gate fails closed"),
)

COMMANDS: dict[str, CommandHelp] = {
    "check": CommandHelp(
        summary="run the policy packs on stacks as a first preview sees them (the PR gate)",
        description=(
            "Runs the Pulumi program of each stack under the Pulumi SDK's mock engine, as a first\n"
            "`pulumi preview` sees it, and the applicable policy packs over the analyzer protocol:\n"
            "mlops-baseline on every stack, mlops-regulated also on regulated tenants. No Pulumi CLI,\n"
            "no backend, no cloud credentials. Stacks unchanged since a clean check come from the cache.\n"
            "SARIF results point at the line of the program that constructs the violating resource."
        ),
        examples=(
            "tenantctl check --stack acme",
            "tenantctl check --all --sarif out.sarif --junit junit.xml --markdown summary.md",
            "tenantctl check --all --json - | jq '.stacks[].verdict'",
            "tenantctl check --all --strict --policy-pack-config policy-config.json",
        ),
        exit_codes=GATE_EXIT_CODES,
    ),
    "plan": CommandHelp(
        summary="show the resources `pulumi up` would create, by component, and the policy verdict",
        description=(
            "Records each stack's program like `check` does and prints the resource tree by component,\n"
            "the resource counts by type and the verdict of the policy packs."
        ),
        examples=("tenantctl plan --stack globex", "tenantctl plan --stack acme --json - > acme-plan.json"),
        exit_codes=GATE_EXIT_CODES,
    ),
    "merge": CommandHelp(
        summary="combine the JSON reports of sharded `check` runs into one run's reports",
        description=(
            "Combines the JSON reports of `tenantctl check --shard K/N --json FILE` runs into the JSON,\n"
            "SARIF, JUnit and Markdown reports one unsharded run would write."
        ),
        examples=(
            "tenantctl merge shard-1.json shard-2.json --sarif out.sarif --markdown summary.md",
            "tenantctl merge shards/*.json --json -",
        ),
        exit_codes=(
            (0, "as check: the worst outcome of all stacks decides (0, 1 or 3)"),
            (2, "a report cannot be read, or two shards hold the same stack"),
        ),
    ),
    "packs": CommandHelp(
        summary="build the self-contained, publishable policy pack folders",
        description=(
            "`tenantctl packs build --out DIR` writes each policy pack as a folder that runs on its own,\n"
            "as `pulumi policy publish` archives it: the rules and the control catalog copied in, the\n"
            "pinned requirements, the project's version and a virtualenv inside the folder."
        ),
        examples=(
            "tenantctl packs build --out ../packs-out",
            "cd ../packs-out/mlops-baseline && pulumi policy publish <org>",
        ),
        exit_codes=(
            (0, "the pack folders were written"),
            (2, "the destination or the project cannot be used (the message says why); nothing written"),
        ),
    ),
    "onboard": CommandHelp(
        summary="write the stack file of a new tenant",
        description=(
            "Writes stacks/Pulumi.<tenant>.yaml for a new tenant: tier defaults filled in, the next\n"
            "free network CIDR from the platform pool, every value validated before anything is written."
        ),
        examples=(
            "tenantctl onboard --tenant hooli --tier standard --environments dev,train,prod \\\n"
            "    --gpu a100=p4de.24xlarge:mig:all-3g.40gb:0-4",
            "tenantctl onboard --from intake/hooli.yaml --dry-run",
        ),
        exit_codes=(
            (0, "the stack file was written (with --dry-run: printed)"),
            (2, "the request was refused: each problem is listed and nothing is written"),
        ),
    ),
    "validate": CommandHelp(
        summary="validate stack files and the fleet invariants",
        description=(
            "Validates each stack file against the config model, then the fleet as a whole:\n"
            "unique tenant ids, no overlapping network CIDRs."
        ),
        examples=(
            "tenantctl validate",
            "tenantctl validate --stack acme --stack globex",
            "tenantctl validate --json -",
        ),
        exit_codes=(
            (0, "every stack is valid and the fleet invariants hold"),
            (2, "a stack is invalid, an invariant is broken, or the project has no stacks/ folder"),
        ),
    ),
    "tenants": CommandHelp(
        summary="show the fleet: tenants, tiers, networks, GPU pools and their last check",
        description=(
            'One row per stack file. "Last check" is the verdict of the last `tenantctl check` that\n'
            "checked the current files (the project's packs, no policy-pack config); '-' when the stack\n"
            "or anything its verdict depends on changed since, or when it was never checked."
        ),
        examples=("tenantctl tenants", "tenantctl tenants --json - | jq '.tenants[].tenant'"),
        exit_codes=(
            (0, "the table (or JSON) was written"),
            (2, "the project directory or its stacks/ folder does not exist"),
        ),
    ),
    "quarantine": CommandHelp(
        summary="freeze a tenant for incident response without destroying evidence",
        description=(
            "Puts a tenant into the incident state: writes an audit evidence bundle first (when AWS\n"
            "credentials are available), then records the incident and the original stack file in a\n"
            "`landingzone:incident` block of the stack file. Deploying it revokes sessions, denies all\n"
            "network traffic and keeps every piece of evidence; `tenantctl release` ends it."
        ),
        examples=(
            'tenantctl quarantine --stack acme --reason "leaked token in job logs" --ticket INC-1234',
            'tenantctl quarantine --stack acme --reason "..." --ticket INC-1234 \\\n'
            "    --responder arn:aws:iam::111122223333:role/incident-responder --evidence evidence/inc-1234",
        ),
        exit_codes=(
            (0, "the tenant is quarantined: commit the stack file and deploy it"),
            (2, "refused or bad input (already quarantined, invalid stack, ...): nothing is written"),
            (3, "an unexpected crash"),
        ),
    ),
    "release": CommandHelp(
        summary="end a quarantine: restore the stack file exactly as it was before",
        description=(
            "Restores the stack file saved by `tenantctl quarantine`, byte for byte, after checking its\n"
            "hash and that nothing else in the stack changed while it was quarantined."
        ),
        examples=("tenantctl release --stack acme",),
        exit_codes=(
            (0, "the stack file is restored: commit it and deploy it"),
            (2, "refused (not quarantined, or the stack changed meanwhile): nothing is written"),
            (3, "an unexpected crash"),
        ),
    ),
    "audit": CommandHelp(
        summary="audit a deployed tenant's AWS resources against the control catalog (read-only)",
        description=(
            "Checks the live AWS account of a tenant with read-only API calls against every control\n"
            "observable through AWS APIs; optionally writes an evidence bundle and reports drift between\n"
            "the stack's program and the live resources."
        ),
        examples=(
            "tenantctl audit --stack acme",
            "tenantctl audit --stack globex --evidence evidence/globex --sarif audit.sarif",
            "tenantctl audit --stack acme --against-stack --json -",
        ),
        exit_codes=(
            (0, "every observable check passed"),
            (1, "a check failed, or the live state drifted from the stack"),
            (
                2,
                "bad usage or config, no credentials, an unreachable endpoint, credentials for another\n"
                "account than the stack's (without --account), or nothing of the tenant in the region\n"
                "(almost always the wrong region or account)",
            ),
            (3, "an unexpected crash"),
        ),
    ),
}


def epilog(command: CommandHelp) -> str:
    lines = ["examples:", *(f"  {example}" for example in command.examples), "", "exit codes:"]
    for code, meaning in command.exit_codes:
        first, *rest = meaning.split("\n")
        lines.append(f"  {code}  {first}")
        lines.extend(f"     {more}" for more in rest)
    return "\n".join(lines)


def add_command(subparsers: Any, name: str) -> argparse.ArgumentParser:
    """The parser of sub-command `name`, with its help from COMMANDS."""
    command = COMMANDS[name]
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=command.summary,
        description=command.description,
        epilog=epilog(command),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser
