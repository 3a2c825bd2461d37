"""The policy packs of one stack: which apply, their versions, and one pack process per stack."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tenantctl.model import BASELINE_PACK, REGULATED_PACK, STANDARD_TIER
from tenantctl.policy_config import config_for_pack

if TYPE_CHECKING:
    from tenantctl.analyzer import PackResult, Requests
    from tenantctl.program import ProgramRun


def pack_version(pack_dir: Path) -> str:
    """The pack's real version: the Python SDK always reports 0.0.1 over the protocol.

    A built pack's PulumiPolicy.yaml carries it; a source folder (policy_packs/<pack>) has none and
    takes the project's, as `tenantctl packs build` would write it.
    """
    from tenantctl.pack_build import PackBuildError, project_version

    try:
        document = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text()) or {}
    except (OSError, yaml.YAMLError):
        return "unknown"
    if isinstance(document, dict) and "version" in document:
        return str(document["version"])
    try:
        return project_version(pack_dir.parent.parent)
    except PackBuildError:
        return "unknown"


def applicable_packs(tier: str) -> list[str]:
    # Fail closed like the packs do: a tier that is not exactly "standard" gets the regulated pack too.
    return [BASELINE_PACK] if tier == STANDARD_TIER else [BASELINE_PACK, REGULATED_PACK]


class PackSession:
    """One pack process for one stack, driven by `analyzer.converse` like `analyzer.analyze` drives it.

    Two differences the gate needs: the process is started before the program has finished, and the
    user's config file is narrowed to this pack's policies (a fleet shares one file across packs).
    """

    def __init__(self, pack_dir: Path, env_run: ProgramRun) -> None:
        from tenantctl.analyzer import pack_server

        self.pack_dir = pack_dir
        self._server = pack_server(pack_dir, env_run, warm=True)
        self._stub: Any = None
        self._started = False

    def start(self) -> None:
        from tenantctl.analyzer import AnalyzerCrash

        if not self.pack_dir.is_dir():
            raise AnalyzerCrash(f"policy pack folder {self.pack_dir} does not exist")
        try:
            self._stub, _engine = self._server.__enter__()
        except AnalyzerCrash:
            raise
        except Exception as err:  # noqa: BLE001 - e.g. the channel never became ready: fail closed
            raise AnalyzerCrash(f"policy pack {self.pack_dir.name} did not start: {err}") from None
        self._started = True

    def close(self) -> None:
        if self._started:
            self._started = False
            with contextlib.suppress(Exception):
                self._server.__exit__(None, None, None)

    def analyze(self, requests: Requests, user_config: Mapping[str, Any]) -> PackResult:
        from tenantctl import analyzer

        packs = {p.name for p in self.pack_dir.parent.iterdir() if p.is_dir()}

        def narrowed(names: set[str]) -> Mapping[str, Any]:
            return config_for_pack(user_config, self.pack_dir.name, names, packs)

        result, _info = analyzer.converse(self._stub, requests, narrowed, self.pack_dir.name)
        return result
