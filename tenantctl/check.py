"""Check one stack: record its program as a first preview sees it, run the applicable packs, classify.

The result is a `tenantctl.model.StackResult`; policy messages and error texts are scrubbed of secret
values (tenantctl.scrub) before they leave this module. The pieces live beside it by concern: model.py
(the data), policy_config.py, scrub.py, classify.py (findings from pack answers) and packs.py (pack
sessions); their names are re-exported here for the modules and tests that import them from check.

Heavy imports (the Pulumi SDK, the program, gRPC) happen inside `check_stack`, so the CLI can load the
data model, render cached results and exit quickly without them.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
import time
import warnings
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenantctl.classify import UNDECIDED_PREFIX, UNDECIDED_REASON, classify
from tenantctl.model import (
    ADVISORY,
    BASELINE_PACK,
    CONFIG_ERROR,
    CRASH,
    EXIT_CLEAN,
    EXIT_CRASH,
    EXIT_USAGE,
    EXIT_VIOLATIONS,
    OK,
    REGULATED_PACK,
    STANDARD_TIER,
    UNDECIDED,
    USAGE_ERROR,
    VIOLATION,
    ExemptionUse,
    Finding,
    PolicyOutcome,
    ResourceRef,
    StackResult,
    exit_code,
    split_urn,
)
from tenantctl.packs import PackSession, applicable_packs, pack_version
from tenantctl.policy_config import (
    PolicyConfigFileError,
    config_for_pack,
    load_policy_config,
    unknown_policy_names,
)
from tenantctl.scrub import MIN_SCRUB_LENGTH, REDACTED, Scrubber

# Re-exported: the CLI, the reports and the tests import these from tenantctl.check.
__all__ = [
    "ADVISORY",
    "BASELINE_PACK",
    "CONFIG_ERROR",
    "CRASH",
    "EXIT_CLEAN",
    "EXIT_CRASH",
    "EXIT_USAGE",
    "EXIT_VIOLATIONS",
    "MIN_SCRUB_LENGTH",
    "OK",
    "REDACTED",
    "REGULATED_PACK",
    "STANDARD_TIER",
    "UNDECIDED",
    "UNDECIDED_PREFIX",
    "UNDECIDED_REASON",
    "USAGE_ERROR",
    "VIOLATION",
    "CheckOptions",
    "ExemptionUse",
    "Finding",
    "PackSession",
    "PolicyConfigFileError",
    "PolicyOutcome",
    "ResourceRef",
    "Scrubber",
    "StackResult",
    "applicable_packs",
    "check_stack",
    "classify",
    "config_for_pack",
    "exit_code",
    "load_policy_config",
    "pack_version",
    "program_environment",
    "quiet_program_noise",
    "split_urn",
    "unknown_policy_names",
]

if TYPE_CHECKING:
    from tenantctl.analyzer import PackResult

# ---------------------------------------------------------------- running one stack


@dataclass(frozen=True)
class CheckOptions:
    project_dir: Path
    packs_dir: Path
    policy_config: Mapping[str, Any] = field(default_factory=dict)
    stack_exports: tuple[Path, ...] = ()
    """`--stack-export` files: judge their resources instead of recording the program."""


@functools.cache
def quiet_program_noise() -> None:
    """The SDK leaves a few pending RPC tasks when a mock run's loop closes; they are not findings."""
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)


@contextlib.contextmanager
def program_environment(project_dir: Path) -> Iterator[None]:
    """Run the program as the Pulumi CLI would: from its project directory, which is on sys.path."""
    previous_cwd = Path.cwd()
    entry = str(project_dir)
    sys.path.insert(0, entry)
    os.chdir(project_dir)
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)


def check_stack(stack: str, options: CheckOptions) -> StackResult:
    """Check one stack in this process. Never raises for stack problems: they become the status."""
    from landingzone.config import ConfigError, parse_settings, read_stack_config, stack_file
    from tenantctl.analyzer import AnalyzerCrash, PolicyConfigError
    from tenantctl.program import ProgramError, config_of, plain_config
    from tenantctl.stack_export import StackExportError

    started = time.perf_counter()
    result = StackResult(stack=stack, checked_at=_now())
    scrub = Scrubber()
    try:
        raw = read_stack_config(stack_file(options.project_dir, stack))
        scrub.add_ciphertexts(raw)
        result.tenant, result.tier = _tenant_id_and_tier(raw)
        # The model first, exactly as `validate` and the program parse it: one message per bad value.
        parse_settings(stack, plain_config(raw), f"stacks/Pulumi.{stack}.yaml")
        _run_stack(stack, options, result, scrub, config_of(raw))
    except ConfigError as err:
        result.status, result.error = CONFIG_ERROR, scrub(str(err))
    except PolicyConfigError as err:
        result.status, result.error = USAGE_ERROR, scrub(f"--policy-pack-config: {err}")
    except StackExportError as err:
        result.status, result.error = USAGE_ERROR, scrub(f"--stack-export: {err}")
    except (ProgramError, AnalyzerCrash) as err:
        result.status, result.error, result.error_source = CRASH, scrub(str(err)), err.source
    except Exception as err:  # noqa: BLE001 - anything unexpected must fail the gate closed, not pass it
        result.status, result.error = (
            CRASH,
            scrub(f"tenantctl failed on stack {stack}: {type(err).__name__}: {err}"),
        )
    result.duration_s = round(time.perf_counter() - started, 3)
    return result


def _run_stack(
    stack: str,
    options: CheckOptions,
    result: StackResult,
    scrub: Scrubber,
    stack_config: tuple[dict[str, str], list[str]],
) -> None:
    from tenantctl.analyzer import analyze_request, analyze_stack_request
    from tenantctl.program import ProgramRun, RecordedResource, record_stack
    from tenantctl.request_stream import RequestStream

    packs = applicable_packs(result.tier)
    config, secret_keys = stack_config
    # The packs only need the stack's config to start, so they start while the program runs, and
    # judge each resource as the program registers it (as under the CLI): pack start-up and most of
    # the analysis then run on the other core while the program is recorded.
    env_run = ProgramRun(stack=stack, preview=True, config=config, secret_keys=secret_keys)
    if options.stack_exports:
        from tenantctl.stack_export import project_of

        env_run.project = project_of(options.stack_exports, stack)
    streams = {pack: RequestStream() for pack in packs}

    def post(resource: RecordedResource) -> None:
        if resource.custom:
            request = analyze_request(resource)
            for stream in streams.values():
                stream.put(resource.urn, request)

    def converse(pack: str, started: Future[None]) -> PackResult:
        started.result()
        return sessions[pack].analyze(streams[pack], options.policy_config)

    with contextlib.ExitStack() as cleanup, ThreadPoolExecutor(max_workers=2 * len(packs)) as pool:
        sessions = {pack: PackSession(options.packs_dir / pack, env_run) for pack in packs}
        for session in sessions.values():
            cleanup.callback(session.close)
        starting = {pack: pool.submit(session.start) for pack, session in sessions.items()}
        conversations = {pack: pool.submit(converse, pack, starting[pack]) for pack in packs}
        quiet_program_noise()
        try:
            if options.stack_exports:
                from tenantctl import stack_export

                run, requests = stack_export.load(options.stack_exports, stack, config, secret_keys)
                for urn, request in requests.analyze:
                    for stream in streams.values():
                        stream.put(urn, request)
                whole_stack = requests.analyze_stack
            else:
                with program_environment(options.project_dir):
                    run = record_stack(options.project_dir, stack, on_record=post, stack_config=stack_config)
                # The per-resource requests went out while recording; only the stack's is left to build.
                whole_stack = analyze_stack_request(run.resources)
        except BaseException:
            for stream in streams.values():
                stream.abort()
            raise
        for stream in streams.values():
            stream.close(whole_stack)
        for resource in run.resources:
            scrub.add_from_properties(resource.properties)
        # A pack that did not start says more than another pack's failed analysis: it is reported first.
        for future in starting.values():
            future.result()
        pack_results = {pack: future.result() for pack, future in conversations.items()}
    _check_policy_names(options, pack_results, packs)
    result.resources = [_resource_ref(r) for r in run.resources]
    custom_urns = {r.urn for r in run.resources if r.custom}
    for pack, pack_result in pack_results.items():
        result.packs[pack] = pack_version(options.packs_dir / pack)
        classify(result, pack_result, custom_urns, scrub)


def _check_policy_names(
    options: CheckOptions, pack_results: Mapping[str, PackResult], ran: list[str]
) -> None:
    from tenantctl.analyzer import PolicyConfigError

    every_pack = (
        {p.name for p in options.packs_dir.iterdir() if p.is_dir()} if options.packs_dir.is_dir() else set()
    )
    known = {policy.name for result in pack_results.values() for policy in result.policies}
    unknown = unknown_policy_names(options.policy_config, every_pack, known)
    # A name only another (not applicable) pack declares is fine: one file serves every tier. When
    # every pack ran, a name nobody declares is a typo, and a typo in a gate's config must not pass.
    if unknown and set(ran) >= every_pack:
        raise PolicyConfigError(f"the file names policies no pack has: {unknown}")


def _tenant_id_and_tier(raw: Mapping[str, Any]) -> tuple[str, str]:
    tenant = raw.get("landingzone:tenant")
    if not isinstance(tenant, dict):
        return "", ""
    # Only plain strings: a `secure:` value here is ciphertext and must not reach a report.
    tenant_id, tier = tenant.get("id"), tenant.get("tier")
    return (tenant_id if isinstance(tenant_id, str) else ""), (tier if isinstance(tier, str) else "")


def _resource_ref(resource: Any) -> ResourceRef:
    depends = list(resource.dependencies)
    for urns in resource.property_dependencies.values():
        depends.extend(urns)
    return ResourceRef(
        type=resource.type,
        name=resource.name,
        urn=resource.urn,
        parent=resource.parent,
        custom=resource.custom,
        depends_on=tuple(dict.fromkeys(u for u in depends if u)),
        source=resource.source,
    )


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
