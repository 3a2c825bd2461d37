"""The unknown-aware evaluation of rule.resource_rule / stack_rule: definite violations win over
"cannot decide", and an unknown value defers only the part of a resource it sits in."""

from __future__ import annotations

from pulumi_policy import Severity

from mlops_policies.props import get, indices
from mlops_policies.rule import ResourceCheck, StackCheck, resource_rule, stack_rule
from tests.policies.harness import UNKNOWN, Res, run_resource, run_stack

THING = "aws:s3/bucket:Bucket"


@resource_rule(
    "sec-01-probe-every-item",
    control="SEC-01",
    types=[THING],
    description="Every item is 'ok'.",
    remediation="Set every item to 'ok'.",
    severity=Severity.LOW,
)
def every_item_ok(r: ResourceCheck) -> None:
    for index in indices(r.props, "items"):
        with r.deciding(f"items[{index}]"):
            if get(r.props, "items", index) != "ok":
                r.fail(f"items[{index}] is not ok")


@resource_rule(
    "sec-01-probe-unscoped",
    control="SEC-01",
    types=[THING],
    description="Item a and item b are 'ok'.",
    remediation="Set a and b to 'ok'.",
    severity=Severity.LOW,
)
def unscoped(r: ResourceCheck) -> None:
    if get(r.props, "b") != "ok":
        r.fail("b is not ok")
    if get(r.props, "a") != "ok":
        r.fail("a is not ok")


@stack_rule(
    "sec-01-probe-stack",
    control="SEC-01",
    types=[THING],
    description="Every resource's item is 'ok'.",
    remediation="Set item to 'ok'.",
    severity=Severity.LOW,
)
def every_resource_ok(stack: StackCheck) -> None:
    for resource in stack.of_type(THING):
        with stack.deciding(resource):
            if get(resource.props, "item") != "ok":
                stack.fail(resource, f"{resource.name} is not ok")


def test_pass_every_item_known_and_compliant():
    assert run_resource(every_item_ok, THING, {"items": ["ok", "ok"]}).passed


def test_fail_a_definite_violation_beside_an_unknown_item_is_reported_without_cannot_decide():
    outcome = run_resource(every_item_ok, THING, {"items": [UNKNOWN, "bad"]})
    assert outcome.violations == ["items[1] is not ok"]
    assert outcome.undecided is None


def test_undecided_only_when_nothing_definite_was_found():
    outcome = run_resource(every_item_ok, THING, {"items": ["ok", UNKNOWN]})
    assert outcome.violations == []
    assert outcome.undecided == "items[1]: string value at .items.1 can't be known during preview"


def test_fail_an_unknown_read_outside_any_scope_keeps_the_violation_found_before_it():
    outcome = run_resource(unscoped, THING, {"b": "bad", "a": UNKNOWN})
    assert outcome.violations == ["b is not ok"]
    assert outcome.undecided is None


def test_undecided_an_unknown_read_outside_any_scope_with_nothing_found():
    outcome = run_resource(unscoped, THING, {"b": UNKNOWN, "a": "bad"})
    assert outcome.violations == []
    assert outcome.undecided == "string value at .b can't be known during preview"


def test_fail_stack_rule_reports_the_definite_resource_beside_an_undecided_one():
    resources = [Res(THING, "first", {"item": UNKNOWN}), Res(THING, "second", {"item": "bad"})]
    outcome = run_stack(every_resource_ok, resources)
    assert outcome.violations == ["second is not ok"]
    assert outcome.undecided is None


def test_undecided_stack_rule_names_the_resource_it_could_not_judge():
    outcome = run_stack(
        every_resource_ok, [Res(THING, "first", {"item": UNKNOWN}), Res(THING, "b", {"item": "ok"})]
    )
    assert outcome.violations == []
    assert outcome.undecided == (
        "aws:s3/bucket:Bucket 'first': string value at .item can't be known during preview"
    )
