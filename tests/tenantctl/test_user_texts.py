"""What users read from the policies: descriptions, remediations and violation messages.

Descriptions state the compliant state; remediations start with an action; neither carries notes
about the spec; no text shows Python's None/True/False or an object repr ("missing", "not set",
"true" instead). Messages are taken from the example-stack mutation tests, the closest thing to what
a tenant sees: every case there is run once here and every message it produces is scanned.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from mlops_policies.packs import all_rules

# A Python literal where a user expects words: None, True, False, or an object's default repr.
PYTHON_REPR = re.compile(r"(?<![\w.=])(None|True|False)(?![\w=(])|<class '|object at 0x")
SPEC_NOTES = ("Reading of the spec", "the spec says", "spec:")
ACTION_VERBS = {
    "Add", "Attach", "Back", "Create", "Declare", "Delete", "Deploy", "Drop", "Give", "Grant", "Keep",
    "Move", "Name", "Pass", "Point", "Put", "Refer", "Register", "Remove", "Replace", "Restore", "Set",
    "Split", "Use",
}  # fmt: skip


def python_reprs(text: str) -> list[str]:
    return [m.group(0) for m in PYTHON_REPR.finditer(text)]


def test_the_repr_scan_finds_what_it_must_and_only_that() -> None:
    assert python_reprs("has enableKeyRotation False; required: true") == ["False"]
    assert python_reprs("tags.tenant None") == ["None"]
    assert python_reprs("<class 'dict'> at <x object at 0x7f>") == ["<class '", "object at 0x"]
    # Remediations show Pulumi Python arguments: code the user writes, not a repr of a value.
    assert python_reprs("Set enable_key_rotation=True on the aws.kms.Key") == []
    assert python_reprs("has enableKeyRotation false; required: true, Falsey, NoneSuch") == []


RULES = all_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_descriptions_and_remediations_speak_to_users(rule) -> None:
    description = rule.policy.description or ""
    remediation = getattr(rule.policy, "remediation_steps", None) or ""
    assert remediation, f"{rule.name} has no remediation"
    assert remediation.split()[0] in ACTION_VERBS, (
        f"{rule.name}: remediation starts {remediation.split()[0]!r}"
    )
    for text in (description, remediation):
        assert not [note for note in SPEC_NOTES if note.lower() in text.lower()], (rule.name, text)
    assert python_reprs(description) == [], (rule.name, description)


@cache
def mutation_messages() -> tuple[tuple[str, str, str], ...]:
    """(case, policy, message) of every diagnostic the example-stack mutation cases produce."""
    from tests.policies import test_example_stacks_and_mutations as cases
    from tests.policies.inprocess import added, evaluate, mutated, removed

    runs = []
    for case, stack, type_, name, change, policy in cases.MUTATIONS:
        runs.append((case, policy, mutated(cases.recorded(stack, False), type_, name, change)))
    for case, stack, type_, props, policy in cases.ADDITIONS:
        resource = cases.extra(stack, type_, f"{stack}-{case}", props)
        runs.append((case, policy, added(cases.recorded(stack, False), resource)))
    for case, stack, type_, name, policy in cases.REMOVALS:
        runs.append((case, policy, removed(cases.recorded(stack, False), type_, name)))
    found = []
    for case, policy, run in runs:
        for pack in evaluate(run, only=frozenset({policy})):
            found.extend((case, d.policy, d.message) for d in pack.diagnostics)
    return tuple(found)


@pytest.mark.slow
def test_messages_of_the_mutation_cases_show_no_python_reprs() -> None:
    messages = mutation_messages()
    assert len(messages) >= 90  # every case produced its message(s)
    offending = [(case, policy, message) for case, policy, message in messages if python_reprs(message)]
    assert offending == []
