"""JUnit XML: one test suite per stack, one test case per policy (any CI can show it).

A mandatory violation is a failure, an advisory one passes with its findings in system-out, a policy
that did not apply (regulated control on a standard tenant, no resource of its type, exempted) is
skipped, and a policy that could not decide during preview fails only under --strict. A stack that
crashed is one test case with an error.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from tenantctl.check import OK, Finding, StackResult


def _describe(findings: Sequence[Finding]) -> str:
    lines = []
    for f in findings:
        where = f"{f.resource_type} {f.resource_name}" if f.urn else "(whole stack)"
        lines.append(f"{f.kind}: {where}: {f.message}")
    return "\n".join(lines)


def _suite(result: StackResult, strict: bool) -> ET.Element:
    suite = ET.Element(
        "testsuite", name=result.stack, timestamp=result.checked_at, time=f"{result.duration_s:.3f}"
    )
    tests = failures = errors = skipped = 0
    if result.status != OK:
        case = ET.SubElement(suite, "testcase", name="check", classname=f"tenantctl.{result.stack}")
        ET.SubElement(case, "error", message=result.status, type=result.status).text = result.error
        tests, errors = 1, 1
    for outcome in result.policies:
        policy = outcome.facts
        tests += 1
        case = ET.SubElement(
            suite, "testcase", name=policy.name, classname=f"{result.stack}.{policy.pack}", time="0"
        )
        mine = [f for f in result.findings if f.policy == policy.name and f.pack == policy.pack]
        blocking = [f for f in mine if f.kind == "violation"]
        undecided = [f for f in mine if f.kind == "undecided"]
        if blocking:
            failures += 1
            message = f"{policy.control}: {len(blocking)} violation(s) of {policy.name}"
            failure = ET.SubElement(case, "failure", message=message, type="violation")
            failure.text = f"{_describe(blocking)}\nRemediation: {policy.remediation}"
        elif strict and outcome.enforcement == "mandatory" and undecided:
            failures += 1
            message = f"{policy.control}: could not decide during preview on {len(undecided)} resource(s)"
            ET.SubElement(case, "failure", message=message, type="undecided").text = _describe(undecided)
        elif outcome.status in ("not-applicable", "disabled"):
            skipped += 1
            ET.SubElement(case, "skipped", message=outcome.status)
        others = [f for f in mine if f not in blocking]
        exempted = [e for e in result.exemptions if e.policy == policy.name and e.pack == policy.pack]
        if others or exempted:
            lines = [_describe(others)] if others else []
            lines += [f"exempted: {e.urn.split('::')[-1] or '(whole stack)'}: {e.reason}" for e in exempted]
            ET.SubElement(case, "system-out").text = "\n".join(lines)
    for name, value in (("tests", tests), ("failures", failures), ("errors", errors), ("skipped", skipped)):
        suite.set(name, str(value))
    return suite


def build(results: Sequence[StackResult], strict: bool) -> ET.Element:
    root = ET.Element("testsuites", name="tenantctl check")
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for result in results:
        suite = _suite(result, strict)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    return root


def write(path: Path, results: Sequence[StackResult], strict: bool) -> None:
    tree = ET.ElementTree(build(results, strict))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
