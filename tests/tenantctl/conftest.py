"""Temporary projects for tenantctl tests: their own program, stacks and policy packs.

Tests never depend on the example stacks being clean (the rules are still being reconciled with the
components): scenarios build a project whose verdict they control. The program is the real landing
zone (run from the repository's __main__.py) plus resources a stack asks for through
`tenantctl-test:*` config; the packs are small, deterministic packs that reuse real rules.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
PLAINTEXT = "pl41ntext-s3cret-never-shown"
CIPHERTEXT = "v1:AAABAFRlbmFudGN0bFRlc3RDaXBoZXJ0ZXh0TXVzdE5vdExlYWs="

# The real landing zone, then what the stack's test config asks for.
LANDING_ZONE_PROGRAM = f"""
import json
import runpy

import pulumi
import pulumi_aws as aws

runpy.run_path({str(REPO / "__main__.py")!r}, run_name="__main__")
test = pulumi.Config("tenantctl-test")
tenant = json.loads(pulumi.Config("landingzone").require("tenant"))["id"]
if test.get_bool("mutable-repo"):
    # Named like the landing zone's own repositories, so SARIF can point at the stack-file entry.
    aws.ecr.Repository(
        f"{{tenant}}-registry-legacy",
        image_tag_mutability="MUTABLE",
        image_scanning_configuration={{"scan_on_push": True}},
    )
if test.get_bool("secret-input"):
    secret = aws.secretsmanager.Secret(f"{{tenant}}-test-secret")
    plain = pulumi.Output.secret({PLAINTEXT!r})
    aws.secretsmanager.SecretVersion(f"{{tenant}}-secret-plain", secret_id=secret.id, secret_string=plain)
    aws.secretsmanager.SecretVersion(
        f"{{tenant}}-test-secret-config", secret_id=secret.id, secret_string=test.require_secret("api-token")
    )
"""

# Small programs: fast to record (no landing zone), for exit-code scenarios.
SMALL_PROGRAM = """
import json

import pulumi
import pulumi_aws as aws

test = pulumi.Config("tenantctl-test")
if test.get_bool("crash"):
    raise RuntimeError("the program crashed on purpose")
repo = aws.ecr.Repository(
    "small-repo", image_tag_mutability="IMMUTABLE", image_scanning_configuration={"scan_on_push": True}
)
if test.get_bool("unknown-policy"):
    # The policy document needs the repository's ARN: unknown in a first preview.
    aws.ecr.RepositoryPolicy(
        "small-repo-policy",
        repository=repo.name,
        policy=repo.arn.apply(lambda arn: json.dumps({"Statement": [{"Resource": arn}]})),
    )
"""

# The PROV-03 rules of the real baseline pack, plus a test policy that echoes a secret input.
PROV03_PACK = """
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

from mlops_policies.packs import all_rules


def echo_secret(args, report):
    if args.resource_type == "aws:secretsmanager/secretVersion:SecretVersion":
        report(f"the secret string is {args.props.get('secretString')}")


PolicyPack(
    name="mlops-baseline",
    policies=[
        *(rule.policy for rule in all_rules() if rule.control.id == "PROV-03"),
        ResourceValidationPolicy(
            name="test-echo-secret",
            description="Test policy: repeats a secret input in its message.",
            validate=echo_secret,
            enforcement_level=EnforcementLevel.ADVISORY,
        ),
    ],
    enforcement_level=EnforcementLevel.MANDATORY,
)
"""

REGULATED_PACK = """
from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy

PolicyPack(
    name="mlops-regulated",
    policies=[
        StackValidationPolicy(
            name="test-regulated-ok",
            description="Test policy: always passes.",
            validate=lambda args, report: None,
        )
    ],
    enforcement_level=EnforcementLevel.MANDATORY,
)
"""

CRASHING_PACK = """
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def explode(args, report):
    raise ValueError("this policy has a bug")


PolicyPack(
    name="mlops-baseline",
    policies=[ResourceValidationPolicy(name="test-explodes", description="Test: raises.", validate=explode)],
    enforcement_level=EnforcementLevel.MANDATORY,
)
"""

UNKNOWN_PACK = """
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def policy_known(args, report):
    if args.resource_type == "aws:ecr/repositoryPolicy:RepositoryPolicy" and "*" in args.props["policy"]:
        report("the repository policy has a wildcard")


PolicyPack(
    name="mlops-baseline",
    policies=[
        ResourceValidationPolicy(
            name="test-repository-policy", description="Test: reads a value unknown in preview.",
            validate=policy_known,
        )
    ],
    enforcement_level=EnforcementLevel.MANDATORY,
)
"""


def tenant_stack(
    tenant: str, *, tier: str = "standard", extra: str = "", repositories: str = "[models, serving]"
) -> str:
    """A valid stack file for `tenant`, shaped like the examples; `extra` lines go under `config:`."""
    number = sum(map(ord, tenant)) % 200 + 20
    if tier == "regulated":
        archive = [
            "    security_archive_bucket: platform-security-archive-eu",
            "    security_archive_kms_key_arn: arn:aws:kms:eu-central-1:999900001111:key/8f7e6d5c-4b3a-2910",
        ]
        pool = (
            "      - {name: h100, instance_type: p5.48xlarge, sharing: dedicated, min_size: 0, max_size: 2}"
        )
    else:
        archive = []
        pool = "      - {name: a100-mig, instance_type: p4de.24xlarge, sharing: mig, mig_layout: all-3g.40gb}"
    lines = [
        f"# Test tenant {tenant}.",
        "config:",
        "  aws:region: eu-central-1",
        "  landingzone:platform:",
        '    account_id: "111122223333"',
        "    admin_role_arn: arn:aws:iam::111122223333:role/platform-admin",
        "    rotation_lambda_arn: arn:aws:lambda:eu-central-1:111122223333:function:platform-secret-rotation",
        *archive,
        "  landingzone:tenant:",
        f"    id: {tenant}",
        f"    tier: {tier}",
        "    environments: [dev, prod]",
        "    network:",
        f"      cidr: 10.{number}.0.0/16",
        "      availability_zones: [eu-central-1a, eu-central-1b]",
        "      egress: none",
        "    gpu_pools:",
        pool,
        "    registry:",
        f"      repositories: {repositories}",
        "      artifact_buckets: [dataset, checkpoint]",
        "    secrets:",
        "      - name: hf-token",
        "        rotation_days: 30",
    ]
    return "\n".join(lines) + "\n" + extra


@dataclass
class Project:
    root: Path

    @property
    def packs(self) -> Path:
        return self.root / "policy_packs"

    def stack(self, name: str, text: str) -> Path:
        path = self.root / "stacks" / f"Pulumi.{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def pack(self, name: str, source: str, version: str = "9.9.9-test") -> Path:
        folder = self.packs / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__main__.py").write_text(source)
        (folder / "PulumiPolicy.yaml").write_text(
            f"description: test pack\nruntime: python\nversion: {version}\n"
        )
        return folder


def make_project(root: Path, program: str) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    (root / "__main__.py").write_text(program)
    for name in ("Pulumi.yaml", "requirements.txt"):
        shutil.copy(REPO / name, root / name)
    # A snapshot of the code a verdict depends on: the program imports `components` from its project
    # directory (as under the Pulumi CLI), and the cache key hashes the project's own copies, so files
    # other people edit in the repository meanwhile cannot change a key between two runs of a test.
    for package in ("components", "landingzone", "mlops_policies"):
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    return Project(root)


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str | Path, timeout: float = 600) -> CliRun:
    """`python -m tenantctl ...` as a separate process: the program mutates global SDK state."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "tenantctl", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return CliRun(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture(scope="session")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
