"""Fast tests: verdicts and exit codes, config routing, secret scrubbing, locations, and every report
format on synthetic results (no program, no pack process)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from mlops_policies.policy_facts import PolicyFacts
from tenantctl import cli
from tenantctl.check import (
    ADVISORY,
    CONFIG_ERROR,
    CRASH,
    UNDECIDED,
    VIOLATION,
    ExemptionUse,
    Finding,
    PolicyConfigFileError,
    PolicyOutcome,
    ResourceRef,
    Scrubber,
    StackResult,
    applicable_packs,
    config_for_pack,
    exit_code,
    load_policy_config,
    split_urn,
    unknown_policy_names,
)
from tenantctl.classify import specific_message
from tenantctl.model import SourceLine
from tenantctl.reports import json_report, junit, markdown, sarif
from tenantctl.reports.diagram import mermaid, violating_boxes
from tenantctl.reports.locations import index_stack_file
from tests.tenantctl.conftest import tenant_stack

STACK_URN = "urn:pulumi:demo::mlops-landing-zone::pulumi:pulumi:Stack::mlops-landing-zone-demo"
LZ = "urn:pulumi:demo::mlops-landing-zone::mlops:landingzone:TenantLandingZone::demo"


def urn(type_: str, name: str, parents: str = "mlops:landingzone:TenantLandingZone$") -> str:
    return f"urn:pulumi:demo::mlops-landing-zone::{parents}{type_}::{name}"


def resources() -> list[ResourceRef]:
    net = urn("mlops:landingzone:TenantNetwork", "demo-network")
    reg = urn("mlops:landingzone:ImmutableRegistry", "demo-registry")
    cluster = urn("mlops:landingzone:TenantCluster", "demo-cluster")
    pool = urn("mlops:landingzone:GpuNodePool", "demo-gpu-a100")
    vpc = urn(
        "aws:ec2/vpc:Vpc",
        "demo-network-vpc",
        "mlops:landingzone:TenantLandingZone$mlops:landingzone:TenantNetwork$",
    )
    subnets = [urn("aws:ec2/subnet:Subnet", f"demo-network-private-{z}", "x$") for z in ("a", "b")]
    eks = urn("aws:eks/cluster:Cluster", "demo-cluster-eks", "x$")
    nodes = urn("aws:eks/nodeGroup:NodeGroup", "demo-gpu-a100-nodes", "x$")
    repo = urn("aws:ecr/repository:Repository", "demo-registry-models", "x$")
    repo_policy = urn("aws:ecr/repositoryPolicy:RepositoryPolicy", "demo-registry-models-policy", "x$")
    return [
        ResourceRef("mlops:landingzone:TenantLandingZone", "demo", LZ, STACK_URN, False),
        ResourceRef("mlops:landingzone:TenantNetwork", "demo-network", net, LZ, False),
        ResourceRef("mlops:landingzone:ImmutableRegistry", "demo-registry", reg, LZ, False),
        ResourceRef("mlops:landingzone:TenantCluster", "demo-cluster", cluster, LZ, False),
        ResourceRef("mlops:landingzone:GpuNodePool", "demo-gpu-a100", pool, LZ, False),
        ResourceRef("aws:ec2/vpc:Vpc", "demo-network-vpc", vpc, net, True),
        *(ResourceRef("aws:ec2/subnet:Subnet", s.split("::")[-1], s, net, True, (vpc,)) for s in subnets),
        ResourceRef("aws:eks/cluster:Cluster", "demo-cluster-eks", eks, cluster, True, tuple(subnets)),
        ResourceRef("aws:eks/nodeGroup:NodeGroup", "demo-gpu-a100-nodes", nodes, pool, True, (eks,)),
        ResourceRef("aws:ecr/repository:Repository", "demo-registry-models", repo, reg, True),
        ResourceRef(
            "aws:ecr/repositoryPolicy:RepositoryPolicy",
            "demo-registry-models-policy",
            repo_policy,
            reg,
            True,
            (repo,),
        ),
    ]


def policy(
    name: str,
    control: str = "PROV-03",
    enforcement: str = "mandatory",
    status: str = "passed",
    declared: str | None = None,
) -> PolicyOutcome:
    facts = PolicyFacts(
        pack="mlops-baseline", name=name, control=control, area="provenance", title="Immutable registries",
        description=f"{name} description.", display_name=f"{control}: title",
        declared=declared or enforcement, severity="high", remediation=f"Fix {name}.",
        tags=("provenance", "baseline"), kind="resource", framework_version="1",
    )  # fmt: skip
    return PolicyOutcome(facts, enforcement=enforcement, status=status)


def finding(
    kind: str, policy_name: str, resource: ResourceRef | None, enforcement: str = "mandatory"
) -> Finding:
    return Finding(
        kind=kind, pack="mlops-baseline", policy=policy_name, control="PROV-03", area="provenance",
        enforcement=enforcement, severity="high", urn=resource.urn if resource else "",
        resource_type=resource.type if resource else "", resource_name=resource.name if resource else "",
        message=f"{policy_name} says | no", remediation=f"Fix {policy_name}.",
    )  # fmt: skip


def demo_result(*findings: Finding, status: str = "ok") -> StackResult:
    return StackResult(
        stack="demo", status=status, tenant="demo", tier="standard", packs={"mlops-baseline": "0.1.0"},
        policies=[policy("prov-03-ecr-immutable-tags", status="failed"), policy("prov-03-ecr-scan-on-push"),
                  policy("gpu-03-whole-gpus", "GPU-03", status="not-applicable"),
                  policy("sec-06-trust", "SEC-06", status="undecided")],
        findings=list(findings), resources=resources(), checked_at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip


def repo() -> ResourceRef:
    return next(r for r in resources() if r.type == "aws:ecr/repository:Repository")


# ---------------------------------------------------------------- verdicts and exit codes


def test_exit_codes_rank_crash_over_usage_over_violations() -> None:
    clean = demo_result(finding(ADVISORY, "prov-03-ecr-scan-on-push", repo(), "advisory"))
    blocked = demo_result(finding(VIOLATION, "prov-03-ecr-immutable-tags", repo()))
    undecided = demo_result(finding(UNDECIDED, "sec-06-trust", None))
    undecided_advisory = demo_result(finding(UNDECIDED, "sec-06-trust", None, enforcement="advisory"))
    assert exit_code([clean], strict=False) == 0
    assert exit_code([clean], strict=True) == 0
    assert exit_code([blocked, clean], strict=False) == 1
    assert exit_code([undecided], strict=False) == 0
    assert exit_code([undecided], strict=True) == 1
    assert exit_code([undecided_advisory], strict=True) == 0
    assert exit_code([blocked, demo_result(status=CONFIG_ERROR)], strict=False) == 2
    assert exit_code([demo_result(status=CONFIG_ERROR), demo_result(status=CRASH)], strict=False) == 3


def test_a_mandatory_policy_weakened_by_policy_config_blocks_and_is_reported() -> None:
    weakened = demo_result()
    weakened.policies.append(
        policy("sec-01-kms-key-rotation", "SEC-01", enforcement="disabled", declared="mandatory")
    )
    assert [p.facts.name for p in weakened.weakened] == ["sec-01-kms-key-rotation"]
    assert weakened.verdict(strict=False) == "blocked"
    assert exit_code([weakened], strict=False) == 1
    assert "| `demo` | `sec-01-kms-key-rotation` | SEC-01 | disabled |" in markdown.build(
        [weakened], False, 1
    )
    assert StackResult.from_dict(json.loads(json.dumps(weakened.to_dict()))).weakened == weakened.weakened


def test_a_policy_the_pack_itself_declares_advisory_is_not_weakened() -> None:
    result = demo_result()
    result.policies.append(policy("x-advisory", enforcement="advisory"))
    assert result.weakened == [] and result.verdict(strict=False) == "passed"


def test_regulated_pack_only_for_exactly_standard_tier_is_skipped() -> None:
    assert applicable_packs("standard") == ["mlops-baseline"]
    assert applicable_packs("regulated") == ["mlops-baseline", "mlops-regulated"]
    assert applicable_packs("") == ["mlops-baseline", "mlops-regulated"]  # unreadable tier: fail closed


def test_split_urn_andspecific_message() -> None:
    assert split_urn(repo().urn) == ("aws:ecr/repository:Repository", "demo-registry-models")
    assert split_urn("") == ("", "")
    assert specific_message("Desc.\nthe repo is MUTABLE", "Desc.") == "the repo is MUTABLE"
    undecided = (
        "can't run policy 'p' from policy pack 'x@v0.0.1' during preview: string value at .a can't be known"
    )
    assert specific_message(undecided, "Desc.") == "string value at .a can't be known"


def test_result_round_trips_through_dict() -> None:
    result = demo_result(finding(VIOLATION, "prov-03-ecr-immutable-tags", repo()))
    result.exemptions.append(
        ExemptionUse("mlops-baseline", "p", "urn:x", "exempted by a until 2099-01-01: r")
    )
    assert StackResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_result_to_dict_is_dataclasses_asdict_with_policies_flat() -> None:
    # to_dict skips asdict's deep copies for speed; it must still give exactly what asdict gives.
    result = demo_result(finding(VIOLATION, "prov-03-ecr-immutable-tags", repo()))
    result = replace(
        result,
        error_source=SourceLine("components/program.py", 3),
        findings=[replace(result.findings[0], source=(SourceLine("__main__.py", 9),))],
        exemptions=[ExemptionUse("mlops-baseline", "p", "urn:x", "r", approver="a", expires="2099-01-01")],
    )
    reference = asdict(replace(result, policies=[]))
    reference["policies"] = [
        {**{k: v for k, v in asdict(p.facts).items() if k != "properties"}, "enforcement": p.enforcement,
         "status": p.status}
        for p in result.policies
    ]  # fmt: skip

    assert result.to_dict() == reference
    assert [type(v) for v in result.to_dict().values()] == [type(v) for v in reference.values()]


# ---------------------------------------------------------------- policy-pack config


def test_flat_policy_config_goes_to_the_pack_that_declares_each_policy() -> None:
    user = {
        "all": "advisory",
        "prov-03-ecr-immutable-tags": {"exemptions": []},
        "gpu-03-whole-gpus": "mandatory",
    }
    packs = {"mlops-baseline", "mlops-regulated"}
    assert config_for_pack(user, "mlops-baseline", {"prov-03-ecr-immutable-tags"}, packs) == {
        "all": "advisory",
        "prov-03-ecr-immutable-tags": {"exemptions": []},
    }
    assert config_for_pack(user, "mlops-regulated", {"gpu-03-whole-gpus"}, packs) == {
        "all": "advisory",
        "gpu-03-whole-gpus": "mandatory",
    }
    keyed = {"mlops-regulated": {"all": "advisory"}}
    assert config_for_pack(keyed, "mlops-baseline", {"x"}, packs) == {}
    assert config_for_pack(keyed, "mlops-regulated", {"x"}, packs) == {"all": "advisory"}
    assert unknown_policy_names({"all": "advisory", "typo": "advisory"}, packs, {"x"}) == ["typo"]


def test_policy_config_file_errors(tmp_path: Path) -> None:
    with pytest.raises(PolicyConfigFileError, match="not valid JSON"):
        (tmp_path / "bad.json").write_text("{nope")
        load_policy_config(tmp_path / "bad.json")
    with pytest.raises(PolicyConfigFileError, match="JSON object"):
        (tmp_path / "list.json").write_text("[]")
        load_policy_config(tmp_path / "list.json")
    with pytest.raises(PolicyConfigFileError, match="cannot read"):
        load_policy_config(tmp_path / "missing.json")
    (tmp_path / "ok.json").write_text('{"all": "advisory"}')
    assert load_policy_config(tmp_path / "ok.json") == ({"all": "advisory"}, '{"all": "advisory"}')


# ---------------------------------------------------------------- secrets


def test_scrubber_removes_secret_inputs_and_ciphertexts() -> None:
    scrub = Scrubber()
    sig = "4dabf18193072939515e22adb298388d"
    scrub.add_from_properties({"a": {sig: "1b47061264138c4ac30d75fd1eb44270", "value": "hunter2-hunter2"}})
    scrub.add_from_properties([{sig: "x", "value": {"password": "nested-pass"}}])
    scrub.add_ciphertexts({"k": {"secure": "v1:cipher"}, "l": [{"secure": "v1:other"}]})
    text = "hunter2-hunter2 nested-pass v1:cipher v1:other keep"
    assert scrub(text) == "[secret] [secret] [secret] [secret] keep"


# ---------------------------------------------------------------- locations in the stack file


def test_locations_point_at_the_configuring_entry(tmp_path: Path) -> None:
    text = tenant_stack("demo", repositories="[models, serving]")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.demo.yaml").write_text(text)
    lines = text.splitlines()
    index = index_stack_file(tmp_path, "demo")
    assert index.uri == "stacks/Pulumi.demo.yaml"

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, start=1) if fragment in line)

    assert index.tenant_line == line_of("id: demo")
    assert index.line_for("demo-gpu-a100-mig-nodes") == line_of("name: a100-mig")
    assert index.line_for("demo-registry-models") == line_of("repositories:")
    assert index.line_for("demo-secrets-hf-token-rotation") == line_of("name: hf-token")
    assert index.line_for("demo-workspace-dev-namespace") == line_of("environments:")
    assert index.line_for("demo-network-vpc") == line_of("network:")
    assert index.line_for("demo-cluster-eks") == line_of("id: demo")
    assert index_stack_file(tmp_path, "missing").tenant_line == 1


# ---------------------------------------------------------------- reports


def test_sarif_is_valid_and_locates_results(tmp_path: Path, sarif_validator) -> None:
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.demo.yaml").write_text(tenant_stack("demo"))
    result = demo_result(
        finding(VIOLATION, "prov-03-ecr-immutable-tags", repo()),
        finding(ADVISORY, "prov-03-ecr-scan-on-push", repo(), "advisory"),
        finding(UNDECIDED, "sec-06-trust", None),
    )
    crashed = StackResult(stack="other", status=CRASH, error="pack exploded")
    document = sarif.build([result, crashed], tmp_path, strict=False, version="1.0")
    sarif_validator.validate(document)
    run = document["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["prov-03-ecr-immutable-tags"]["properties"]["control"] == "PROV-03"
    assert rules["prov-03-ecr-immutable-tags"]["help"]["text"] == "Fix prov-03-ecr-immutable-tags."
    assert float(rules["prov-03-ecr-immutable-tags"]["properties"]["security-severity"]) == 8.0
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"prov-03-ecr-immutable-tags": "error", "prov-03-ecr-scan-on-push": "warning"}
    for r in run["results"]:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "stacks/Pulumi.demo.yaml"
        assert location["region"]["startLine"] > 1
    assert run["invocations"][0]["executionSuccessful"] is False
    strict = sarif.build([result], tmp_path, strict=True, version="1.0")
    sarif_validator.validate(strict)
    assert {r["ruleId"] for r in strict["runs"][0]["results"]} >= {"sec-06-trust"}


def test_junit_has_one_case_per_policy(tmp_path: Path) -> None:
    result = demo_result(
        finding(VIOLATION, "prov-03-ecr-immutable-tags", repo()), finding(UNDECIDED, "sec-06-trust", None)
    )
    path = tmp_path / "junit.xml"
    junit.write(path, [result, StackResult(stack="other", status=CRASH, error="boom")], strict=False)
    root = ET.parse(path).getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    cases = {c.get("name"): c for c in suites["demo"].iter("testcase")}
    assert set(cases) == {p.facts.name for p in result.policies}
    assert cases["prov-03-ecr-immutable-tags"].find("failure") is not None
    assert cases["gpu-03-whole-gpus"].find("skipped") is not None
    assert cases["sec-06-trust"].find("failure") is None
    assert suites["other"].find("testcase/error") is not None
    assert root.get("failures") == "1" and root.get("errors") == "1" and root.get("skipped") == "1"
    strict = junit.build([result], strict=True)
    assert strict.find(".//testcase[@name='sec-06-trust']/failure") is not None


def test_markdown_comment_has_verdict_tables_and_highlighted_diagram() -> None:
    result = demo_result(finding(VIOLATION, "prov-03-ecr-immutable-tags", repo()))
    text = markdown.build([result], strict=False, exit_code=1)
    assert text.startswith(markdown.MARKER)
    assert "❌ tenantctl check: blocked (exit 1)" in text
    assert "| provenance | 1 | 0 | 0 |" in text
    assert "prov-03-ecr-immutable-tags says \\| no" in text  # a pipe cannot break the table
    assert "```mermaid\nflowchart LR" in text
    assert "classDef violation" in text and "class " in text


def test_diagram_boxes_edges_and_highlights() -> None:
    result = demo_result(
        finding(
            VIOLATION,
            "prov-03-ecr-immutable-tags",
            next(r for r in resources() if r.type.endswith("RepositoryPolicy")),
        )
    )
    chart = mermaid(result)
    assert "subgraph" in chart and '"Network"' in chart and '"GPU pools"' in chart
    assert (
        "VPC<br/>demo-network-vpc" in chart
        and "2 private subnets" in chart
        and "1 private subnet" not in chart
    )
    assert "EKS cluster<br/>demo-cluster-eks" in chart and "GPU node group<br/>demo-gpu-a100-nodes" in chart
    box = {
        line.split("[")[0].strip(): line
        for line in chart.splitlines()
        if "[" in line and "subgraph" not in line
    }
    repo_box = next(k for k, v in box.items() if "ECR repository" in v)
    # A violation on the repository policy highlights the repository it configures.
    assert violating_boxes(result) == {repo_box}
    vpc_box = next(k for k, v in box.items() if "VPC<br/>" in v)
    subnet_box = next(k for k, v in box.items() if "private subnets" in v)
    eks_box = next(k for k, v in box.items() if "EKS cluster" in v)
    assert f"{vpc_box} --> {subnet_box}" in chart and f"{subnet_box} --> {eks_box}" in chart


def test_json_report_carries_verdicts(tmp_path: Path) -> None:
    result = demo_result(finding(VIOLATION, "prov-03-ecr-immutable-tags", repo()))
    path = tmp_path / "r.json"
    json_report.write(path, [result], strict=False, exit_code=1, version="1.0")
    data = json.loads(path.read_text())
    assert data["exit_code"] == 1
    assert data["stacks"][0]["verdict"] == "blocked" and data["stacks"][0]["counts"]["violations"] == 1


def test_own_commands_do_not_import_other_subcommands() -> None:
    parser = cli.build_parser(["check"])
    args = parser.parse_args(["check", "--stack", "a", "--stack", "b", "--strict"])
    assert args.stack == ["a", "b"] and args.strict and args.func is cli.handle_check
    with pytest.raises(SystemExit) as usage:
        parser.parse_args(["check", "--stack", "a", "--all"])
    assert usage.value.code == 2


def test_classify_maps_diagnostics_to_findings_and_policy_statuses() -> None:
    from tenantctl.analyzer import Diagnostic, NotApplicable, PackResult
    from tenantctl.classify import classify
    from tenantctl.scrub import Scrubber

    def info(name: str, control: str = "PROV-03") -> PolicyFacts:
        return PolicyFacts(
            pack="mlops-baseline", name=name, control=control, area="provenance", title="x",
            description=f"{name} description.", display_name=f"{control}: x", declared="mandatory",
            severity="high", remediation=f"Fix {name}.", tags=("provenance", "baseline"), kind="resource",
            framework_version="1", properties={"exemptions": {"type": "array", "default": []}},
        )  # fmt: skip

    urn_a, urn_b = repo().urn, resources()[5].urn
    names = ["violated", "advised", "undecided", "remediated", "unused", "exempted", "clean"]
    pack = PackResult(
        pack="mlops-baseline", version="0.0.1", policies=[info(n) for n in names],
        config={"advised": {"enforcementLevel": "advisory"}, "remediated": {"enforcementLevel": "remediate"}},
    )  # fmt: skip

    def diagnostic(policy: str, message: str, enforcement: str, urn: str = urn_a) -> Diagnostic:
        return Diagnostic("mlops-baseline", policy, message, urn, enforcement, "high")

    pack.diagnostics = [
        diagnostic("violated", "violated description.\nrepo is MUTABLE with s3cr3t-value", "mandatory"),
        diagnostic("advised", "advised description.\nconsider scanning", "advisory"),
        diagnostic(
            "undecided",
            "can't run policy 'undecided' from policy pack 'x@v0.0.1' during preview: "
            "string value at .policy can't be known during preview",
            "advisory",
        ),
        diagnostic("remediated", "remediated description.\nstill wrong", "mandatory"),
    ]
    pack.not_applicable = [
        *(NotApplicable("mlops-baseline", "unused", u, "judges other types") for u in (urn_a, urn_b)),
        NotApplicable("mlops-baseline", "exempted", urn_a, "exempted by sec until 2099-01-01: legacy"),
    ]
    result = StackResult(stack="demo")
    classify(result, pack, {urn_a, urn_b}, Scrubber({"s3cr3t-value"}))
    found = {f.policy: (f.kind, f.enforcement) for f in result.findings}
    assert found == {
        "violated": (VIOLATION, "mandatory"),
        "advised": (ADVISORY, "advisory"),
        "undecided": (UNDECIDED, "mandatory"),
        "remediated": (VIOLATION, "mandatory"),
    }
    messages = {f.policy: f.message for f in result.findings}
    assert messages["violated"] == "repo is MUTABLE with [secret]"
    assert messages["undecided"] == "string value at .policy can't be known during preview"
    assert all(f.resource_name == "demo-registry-models" for f in result.findings)
    statuses = {p.facts.name: p.status for p in result.policies}
    assert statuses == {
        "violated": "failed", "advised": "warning", "undecided": "undecided", "remediated": "failed",
        "unused": "not-applicable", "exempted": "passed", "clean": "passed",
    }  # fmt: skip
    assert [(e.policy, e.reason) for e in result.exemptions] == [
        ("exempted", "exempted by sec until 2099-01-01: legacy")
    ]
    assert {p.facts.area for p in result.policies} == {"provenance"}
    # A stack's result carries the facts without the config schema (no report reads it).
    assert [p.facts for p in result.policies] == [replace(info(n), properties={}) for n in names]
