"""What the meta-test demands of every rule module and the test module beside it, read from source.

Reading the source (AST) instead of importing or running anything means a case counts only when it is
written down: a `test_pass_*` and a `test_fail_*` function (decorated and parametrized ones count) in
`test_<rule>.py` next to `<rule>.py`, each naming the rule (directly or through a helper function of
that test module); every fail case asserts an exact message, an `==` against a string, an f-string, or
a list/tuple of them (possibly through a local name, a module constant or a parameter whose
`pytest.mark.parametrize` values are such strings); and the rule's declaration states
`severity=Severity.<LEVEL>`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

RULE_DECORATORS = frozenset({"resource_rule", "stack_rule"})
SEVERITIES = frozenset({"CRITICAL", "HIGH", "MEDIUM", "LOW"})


@dataclass(frozen=True)
class Declaration:
    """The one module-level rule of a rule module: its Python name, policy name and declared severity."""

    variable: str
    policy: str | None
    severity: str | None


@dataclass
class Report:
    module: Path
    policy: str | None = None
    problems: list[str] = field(default_factory=list)


def _call_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _severity(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "severity":
            value = keyword.value
            if (
                isinstance(value, ast.Attribute)
                and isinstance(value.value, ast.Name)
                and value.value.id == "Severity"
                and value.attr in SEVERITIES
            ):
                return value.attr
            return f"not a Severity member: {ast.unparse(value)}"
    return None


def _policy_name(call: ast.Call) -> str | None:
    first = call.args[0] if call.args else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def declarations(tree: ast.Module) -> list[Declaration]:
    """Rules declared at module level: a function decorated with resource_rule/stack_rule(...), or a
    name assigned from a call (a shared builder) whose first argument is the policy name."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and _call_name(decorator.func) in RULE_DECORATORS:
                    found.append(Declaration(node.name, _policy_name(decorator), _severity(decorator)))
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and _policy_name(node.value) is not None
            and "rule" in (_call_name(node.value.func) or "")
        ):
            found.append(Declaration(node.targets[0].id, _policy_name(node.value), _severity(node.value)))
    return found


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _stringish(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _stringish(node.left) and _stringish(node.right)
    if isinstance(node, ast.List | ast.Tuple):
        return bool(node.elts) and all(_stringish(e) for e in node.elts)
    return False


class _Strings:
    """Which names in one test function stand for string literals (local assignments, module constants,
    parametrized arguments whose every value is one)."""

    def __init__(self, module: ast.Module, test: ast.FunctionDef) -> None:
        self.known: set[str] = set()
        for node in module.body:
            if isinstance(node, ast.Assign) and _stringish(node.value):
                self.known |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        for decorator in test.decorator_list:
            self.known |= _parametrized_strings(decorator)
        for inner in ast.walk(test):
            if isinstance(inner, ast.Assign) and self.stringish(inner.value):
                self.known |= {t.id for t in inner.targets if isinstance(t, ast.Name)}

    def stringish(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.known
        if isinstance(node, ast.List | ast.Tuple):
            return bool(node.elts) and all(self.stringish(e) for e in node.elts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.stringish(node.left) and self.stringish(node.right)
        return _stringish(node)


def _parametrized_strings(decorator: ast.expr) -> set[str]:
    """Argument names of @pytest.mark.parametrize("a, message", [...]) whose values are all strings."""
    if not (isinstance(decorator, ast.Call) and _call_name(decorator.func) == "parametrize"):
        return set()
    if len(decorator.args) < 2:
        return set()
    first = decorator.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        argnames = [a.strip() for a in first.value.split(",") if a.strip()]
    elif isinstance(first, ast.Tuple | ast.List) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in first.elts
    ):
        argnames = [str(e.value) for e in first.elts if isinstance(e, ast.Constant)]
    else:
        return set()
    values = decorator.args[1]
    if not isinstance(values, ast.List | ast.Tuple):
        return set()
    rows = [_unwrap_param(row) for row in values.elts]
    strings = set()
    for index, name in enumerate(argnames):
        cells: list[ast.expr | None]
        if len(argnames) == 1:
            cells = list(rows)
        else:
            cells = [row.elts[index] if isinstance(row, ast.Tuple | ast.List) else None for row in rows]
        if rows and all(cell is not None and _stringish(cell) for cell in cells):
            strings.add(name)
    return strings


def _unwrap_param(row: ast.expr) -> ast.expr:
    """pytest.param(a, b, id=...) reads as (a, b)."""
    if isinstance(row, ast.Call) and _call_name(row.func) == "param":
        return ast.Tuple(elts=list(row.args), ctx=ast.Load())
    return row


def asserts_exact_message(module: ast.Module, test: ast.FunctionDef) -> bool:
    strings = _Strings(module, test)
    for node in ast.walk(test):
        if not isinstance(node, ast.Assert) or not isinstance(node.test, ast.Compare):
            continue
        compare = node.test
        sides = [compare.left, *compare.comparators]
        for op, left, right in zip(compare.ops, sides, sides[1:], strict=False):
            if isinstance(op, ast.Eq) and (strings.stringish(left) or strings.stringish(right)):
                return True
    return False


def _tests(module: ast.Module) -> Iterator[ast.FunctionDef]:
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            yield node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            yield from (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_"))


def _aliases(module: ast.Module, rule: str) -> set[str]:
    """The rule's name in the test module: its own, or what `from ... import rule as alias` binds."""
    names = {rule}
    for node in module.body:
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname for a in node.names if a.name == rule and a.asname}
    return names


def _reaches(module: ast.Module, test: ast.FunctionDef, rule: str) -> bool:
    """Whether the test names the rule, itself or through the test module's own helper functions."""
    helpers = {
        n.name: n for n in module.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("test_")
    }
    bound = _aliases(module, rule)
    seen: set[str] = set()
    pending: list[ast.AST] = [test]
    while pending:
        names = _names(pending.pop())
        if names & bound:
            return True
        for name in names & helpers.keys() - seen:
            seen.add(name)
            pending.append(helpers[name])
    return False


def check_rule_module(path: Path) -> Report:
    """Every problem the meta-test finds with one rule module and its test module."""
    report = Report(path)
    rules = declarations(ast.parse(path.read_text(), filename=str(path)))
    if len(rules) != 1:
        report.problems.append(f"{path.name}: declares {len(rules)} rules; required: exactly one")
        return report
    rule = rules[0]
    report.policy = rule.policy
    if rule.severity is None:
        report.problems.append(f"{rule.policy}: no severity=Severity.<LEVEL> in its declaration")
    elif rule.severity not in SEVERITIES:
        report.problems.append(f"{rule.policy}: severity {rule.severity}")
    test_path = path.with_name(f"test_{path.name}")
    if not test_path.exists():
        report.problems.append(f"{rule.policy}: no test module {test_path.name} beside it")
        return report
    tree = ast.parse(test_path.read_text(), filename=str(test_path))
    tests = [t for t in _tests(tree) if _reaches(tree, t, rule.variable)]
    passes = [t for t in tests if t.name.startswith("test_pass_")]
    fails = [t for t in tests if t.name.startswith("test_fail_")]
    if not passes:
        report.problems.append(f"{rule.policy}: no test_pass_* case in {test_path.name} runs {rule.variable}")
    if not fails:
        report.problems.append(f"{rule.policy}: no test_fail_* case in {test_path.name} runs {rule.variable}")
    for test in fails:
        if not asserts_exact_message(tree, test):
            report.problems.append(
                f"{rule.policy}: {test.name} asserts no exact message (== a string or list)"
            )
    return report


def rule_modules(controls: Path) -> list[Path]:
    """Rule modules as packs.all_rules discovers them: not tests, conftest or private helpers."""
    return sorted(
        p
        for p in controls.glob("*/*.py")
        if not p.name.startswith(("test_", "_")) and p.name != "conftest.py"
    )
