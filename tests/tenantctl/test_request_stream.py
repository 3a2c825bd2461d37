"""The gate hands each resource to the packs as the program registers it (tenantctl/request_stream.py)."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from tenantctl.analyzer import AnalyzerRequests, analyze_request
from tenantctl.check import program_environment
from tenantctl.program import RecordedResource, record_stack
from tenantctl.request_stream import RecordingAborted, RequestStream

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def streamed():
    seen: list[RecordedResource] = []
    with program_environment(ROOT):
        run = record_stack(ROOT, "acme", on_record=seen.append)
    return run, seen


def test_pass_the_listener_sees_every_resource_in_the_order_the_run_keeps(streamed):
    run, seen = streamed
    assert [r.urn for r in seen] == [r.urn for r in run.resources]
    assert len(seen) > 100


def test_pass_the_registered_struct_is_what_converting_the_properties_back_gives(streamed):
    run, _seen = streamed
    for resource in run.resources:
        converted = struct_pb2.Struct()
        json_format.ParseDict(resource.properties, converted)
        assert resource.wire is not None
        assert resource.struct() == converted, resource.urn


def test_fail_a_copy_with_other_properties_does_not_send_the_original_struct(streamed):
    run, _seen = streamed
    key = next(r for r in run.resources if r.type == "aws:kms/key:Key")
    changed = replace(key, properties={**key.properties, "enableKeyRotation": False})
    assert changed.wire is None
    assert changed.struct()["enableKeyRotation"] is False
    assert key.struct()["enableKeyRotation"] is True


def test_pass_a_stream_yields_in_order_and_ends_with_the_stack_request(streamed):
    run, _seen = streamed
    requests = AnalyzerRequests.build(run)
    stream = RequestStream()
    custom = [r for r in run.resources if r.custom]
    reader_saw: list[str] = []
    reader = threading.Thread(target=lambda: reader_saw.extend(urn for urn, _request in stream.analyze))
    reader.start()
    for resource in custom:
        stream.put(resource.urn, analyze_request(resource))
    stream.close(requests.analyze_stack)
    reader.join(timeout=10)
    assert reader_saw == [r.urn for r in custom]
    assert stream.analyze_stack is requests.analyze_stack


def test_fail_an_aborted_stream_ends_the_conversation_before_the_stack_is_judged():
    stream = RequestStream()
    stream.put("urn:a", analyzer_pb2.AnalyzeRequest(urn="urn:a"))
    stream.abort()
    reading = stream.analyze
    assert next(reading)[0] == "urn:a"
    with pytest.raises(RecordingAborted):
        next(reading)
    with pytest.raises(RecordingAborted):
        _ = stream.analyze_stack
