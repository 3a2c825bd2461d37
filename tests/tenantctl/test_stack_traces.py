"""The recorder's registration stack traces are the SDK's, field for field (tenantctl/stack_traces.py).

The hand-made stacks mimic the SDK's constructor chain (Resource < CustomResource < the concrete
class) called from user code; the example stacks compare both captures at every registration.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest
from pulumi.runtime import resource
from pulumi.runtime.proto import source_pb2

from tenantctl import provider_loading, stack_traces
from tests.tenantctl.test_provider_loading import ROOT, fresh_python

Capture = Callable[[], source_pb2.StackTrace]
SDK_CAPTURE: Capture = getattr(resource._get_stack_trace, "__wrapped__", resource._get_stack_trace)
FAST_CAPTURE: Capture = stack_traces._fast_get_stack_trace(SDK_CAPTURE)


def _register(capture: Capture) -> source_pb2.StackTrace:
    return capture()  # the SDK captures a few calls below Resource.__init__


class _Resource:
    def __init__(self, capture: Capture) -> None:
        self.trace = _register(capture)


class _CustomResource(_Resource):
    def __init__(self, capture: Capture) -> None:
        super().__init__(capture)


class _Bucket(_CustomResource):
    def __init__(self, capture: Capture) -> None:
        super().__init__(capture)


def _user_code(depth: int, capture: Capture) -> source_pb2.StackTrace:
    if depth:
        return _user_code(depth - 1, capture)
    return _Bucket(capture).trace


def _line_of(text: str) -> int:
    source, first = inspect.getsourcelines(_user_code)
    return first + next(i for i, line in enumerate(source) if text in line)


@pytest.mark.parametrize("depth", [0, 1, 25])
def test_pass_the_fast_capture_builds_the_sdks_message_below_three_constructors(depth: int) -> None:
    fast, sdk = _user_code(depth, FAST_CAPTURE), _user_code(depth, SDK_CAPTURE)
    assert fast == sdk
    # Topmost frame first: the user code that called the concrete constructor, then its callers.
    assert fast.frames[0].pc.uri == Path(__file__).as_uri()
    assert fast.frames[0].pc.line == _line_of("_Bucket(capture).trace")
    assert len(fast.frames) > depth + 1


def test_pass_a_stack_with_fewer_than_three_constructors_gives_the_sdks_empty_trace() -> None:
    fast, sdk = _CustomResource(FAST_CAPTURE).trace, _CustomResource(SDK_CAPTURE).trace
    assert fast == sdk == source_pb2.StackTrace()


@pytest.mark.parametrize("filename", ["", "relative/program.py"])
def test_pass_a_frame_without_an_absolute_file_name_carries_no_position_like_the_sdks(filename: str) -> None:
    code = compile("trace = _user_code(0, capture)", filename, "exec")
    traces = []
    for capture in (FAST_CAPTURE, SDK_CAPTURE):
        scope = {"_user_code": _user_code, "capture": capture}
        exec(code, scope)
        traces.append(scope["trace"])
    fast, sdk = traces
    assert fast == sdk
    assert fast.frames[1] == source_pb2.StackFrame()  # the exec'd frame: no pc at all


def test_pass_a_traceback_limit_truncates_the_stack_as_it_truncates_the_sdks(monkeypatch) -> None:
    # sys.tracebacklimit keeps the innermost frames only:
    # here the capture, _register, the three __init__ and one caller.
    monkeypatch.setattr(sys, "tracebacklimit", 6, raising=False)
    fast, sdk = _user_code(10, FAST_CAPTURE), _user_code(10, SDK_CAPTURE)
    assert fast == sdk
    assert len(fast.frames) == 1


COMPARE = """
import json, sys
from pathlib import Path
from pulumi.runtime import resource
from tenantctl import stack_traces
from tenantctl.check import program_environment
from tenantctl.program import record_stack
assert stack_traces.install()
fast = resource._get_stack_trace
sdk = fast.__wrapped__
compared, differ = 0, []
def both():
    global compared
    mine, theirs = fast(), sdk()
    compared += 1
    if mine != theirs:
        differ.append(str(theirs)[:400])
    return mine
both.__wrapped__ = sdk  # installed: record_program's own install() leaves it in place
resource._get_stack_trace = both
root = Path(sys.argv[1])
for stack in ("acme", "globex", "initech"):
    for preview in (True, False):
        with program_environment(root):
            run = record_stack(root, stack, preview=preview)
print(json.dumps({"compared": compared, "differ": differ}))
"""


def test_pass_every_registration_of_the_example_stacks_carries_the_sdks_stack_trace() -> None:
    out = json.loads(fresh_python(COMPARE, str(ROOT)))
    assert out["differ"] == []
    assert out["compared"] > 900  # ~150 registrations x 3 stacks x preview and update


def _fingerprint(function: Callable[..., object]) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


def test_pass_the_installed_pulumi_is_the_release_the_fast_capture_mirrors() -> None:
    assert metadata.version("pulumi") == provider_loading.PULUMI_VERSION
    # The SDK functions the fast capture mirrors: a change to either must be reviewed before the pin moves.
    assert _fingerprint(SDK_CAPTURE) == "3943b22730169251"
    assert _fingerprint(resource._get_source_position_for_frame) == "9f78cc3180b00a12"


def test_pass_install_wraps_the_sdks_capture_once(monkeypatch) -> None:
    monkeypatch.setattr(resource, "_get_stack_trace", SDK_CAPTURE)
    assert stack_traces.install() and stack_traces.install()
    assert resource._get_stack_trace.__wrapped__ is SDK_CAPTURE  # type: ignore[attr-defined]


def test_fail_another_pulumi_release_keeps_the_sdks_own_capture(monkeypatch) -> None:
    monkeypatch.setattr(resource, "_get_stack_trace", SDK_CAPTURE)
    monkeypatch.setattr(stack_traces.metadata, "version", lambda name: "3.0.0")
    assert stack_traces.install() is False
    assert resource._get_stack_trace is SDK_CAPTURE
