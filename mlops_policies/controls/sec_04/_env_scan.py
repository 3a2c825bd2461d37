"""Scanning environment variables for plaintext credentials (all SEC-04 rules but user data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mlops_policies import credentials
from mlops_policies.props import UNKNOWN, known
from mlops_policies.rule import ResourceCheck, Undecided


def items(value: Any) -> list[tuple[int, Any]]:
    """(index, element) of a sequence, each element read with `known` so one unknown entry does not
    hide the others; [] for anything that is not a sequence."""
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        return []
    return [(index, known(value, index)) for index in range(len(value))]


def any_case_keys(obj: Mapping[str, Any], key: str) -> list[str]:
    return [k for k in obj if isinstance(k, str) and k.lower() == key.lower()]


def any_case_value(obj: Any, key: str) -> Any:
    """obj[key] read as AWS's JSON decoder reads container definitions: keys match case-insensitively
    (Go's encoding/json), and of several spellings the last one in the document wins."""
    if not isinstance(obj, Mapping):
        return None
    matching = any_case_keys(obj, key)
    return known(obj, matching[-1]) if matching else None


def _text(value: Any) -> str | None:
    """An env value as the runtime reads it: numbers become their text, anything else but a string None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else None


class EnvScan:
    """Reports every definite finding first, then defers the resource if any value was unknown.

    A computed (unknown) value is not a literal typed into the program, so it matters only under a
    secret-suggesting name, where it may be e.g. a generated password placed in plaintext.
    """

    def __init__(
        self, r: ResourceCheck, fix: str, expansion: credentials.Expansion = credentials.Expansion.NONE
    ) -> None:
        self.r, self.fix, self.expansion = r, fix, expansion
        self.pending: list[str] = []

    def unknown(self, path: str) -> None:
        self.pending.append(f"{path} is unknown")

    def variable(self, where: str, name: Any, value: Any) -> None:
        if value is UNKNOWN:
            if name is UNKNOWN or (isinstance(name, str) and credentials.secret_name(name)):
                self.unknown(f"{where} '{name}' value")
            return
        value = _text(value)
        if not value:
            return
        if name is UNKNOWN:
            self.unknown(f"{where} name")
        shown = credentials.display_name(name) if isinstance(name, str) else "<unnamed>"
        finding = credentials.literal_env_findings(
            name if isinstance(name, str) else None, value, self.expansion
        )
        if finding:
            self.r.fail(f"{self.r.label} {where} '{shown}' {finding}; required: {self.fix}")

    def kubernetes_env(self, where: str, entries: Any) -> None:
        """A container's env list, each value also judged after Kubernetes' `$(NAME)` expansion.

        kubelet expands `$(NAME)` from the container's earlier env entries, so a literal moved into
        another variable (`X=hunter2`, `DB_PASSWORD=$(X)`) reaches the secret-named one at run time.
        Each value that expands a variable the same container sets by `value` (not `valueFrom`) is judged
        again with that one reference expanded (`credentials.kubernetes_expand`). Any other entry counts,
        not only earlier ones: the admission policy's CEL has no list indices to tell earlier from later
        (Kubernetes leaves a reference to a later entry unexpanded, so that case is refused needlessly).
        An entry with the same name and value is the entry itself and is skipped, as in the CEL.
        """
        self.name_value_list(where, entries)
        literals = [
            (name, value)
            for _, entry in items(entries)
            if isinstance(entry, Mapping)
            and isinstance(name := known(entry, "name"), str)
            and (value := _text(known(entry, "value"))) is not None
        ]
        for index, (name, value) in enumerate(literals):
            if credentials.literal_env_findings(name, value, self.expansion):
                continue  # already reported as written
            for other, (other_name, other_value) in enumerate(literals):
                if other == index or (other_name, other_value) == (name, value):
                    continue
                if not credentials.kubernetes_references(value, other_name):
                    continue
                expanded = credentials.kubernetes_expand(value, other_name, other_value)
                finding = credentials.literal_env_findings(name, expanded, self.expansion)
                if finding:
                    self.r.fail(
                        f"{self.r.label} {where} '{credentials.display_name(name)}' expands "
                        f"$({credentials.display_name(other_name)}), which the container sets to a literal "
                        f"value, and so {finding}; required: {self.fix}"
                    )
                    break

    def mapping(self, where: str, variables: Any) -> None:
        if variables is UNKNOWN:
            self.unknown(where)
        elif isinstance(variables, Mapping):
            for name in variables:
                self.variable(where, name, known(variables, name))

    def name_value_list(self, where: str, entries: Any, *, any_case: bool = False) -> None:
        """[{name, value}] entries; `any_case` reads keys as AWS's JSON decoder does (Name, VALUE...)."""
        read = any_case_value if any_case else known
        if entries is UNKNOWN:
            self.unknown(where)
        for index, entry in items(entries):
            if entry is UNKNOWN:
                self.unknown(f"{where}[{index}]")
            elif isinstance(entry, Mapping):
                self.variable(where, read(entry, "name"), read(entry, "value"))

    def command_line(self, where: str, parts: list[Any]) -> None:
        """A container's command and args, joined as the shell would see them (`--token abc` spans two
        list items), scanned for credentials and literals assigned to secret-named variables."""
        known_parts = [p for p in parts if p is not UNKNOWN]
        if len(known_parts) < len(parts):
            self.unknown(f"{where} entry")
        text = " ".join(str(p) for p in known_parts if isinstance(p, str | int | float))
        if not text:
            return
        for finding in credentials.scan(text, credentials.Expansion.SHELL).findings:
            how = "" if finding.how == "as given" else f" ({finding.how})"
            self.r.fail(f"{self.r.label} {where} contains {finding.kind}{how}; required: {self.fix}")

    def done(self) -> None:
        if self.pending:
            raise Undecided(self.pending)
