"""Analyze requests handed to a pack while the program is still being recorded, as the Pulumi CLI does.

The engine sends `Analyze` for each resource when the program registers it, and `AnalyzeStack` once
the program has finished. The gate does the same: the recorder posts each custom resource's request
to one `RequestStream` per pack as it is registered, and the pack's conversation
(`tenantctl.analyzer.converse`) reads them in registration order while the program goes on. A pack
therefore judges resources on the second core while the first runs the program, instead of starting
only when the program ends.

A stream is read once, by one conversation. `close` hands over the stack's request and ends the
stream; `abort` (the program crashed or the config was bad) ends the conversation with
`RecordingAborted` before it sends `AnalyzeStack`, so a broken program is never judged as a whole.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any

from pulumi.runtime.proto import analyzer_pb2


class RecordingAborted(Exception):
    """The program did not finish: the pack's conversation stops without judging the stack."""


_END, _ABORT = object(), object()


class RequestStream:
    """The requests of one program run for one pack, in the order the program registers resources."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._analyze_stack: analyzer_pb2.AnalyzeStackRequest | None = None

    def put(self, urn: str, request: analyzer_pb2.AnalyzeRequest) -> None:
        self._queue.put((urn, request))

    def close(self, analyze_stack: analyzer_pb2.AnalyzeStackRequest) -> None:
        """The program has finished: no more resources, and this is the whole stack."""
        self._analyze_stack = analyze_stack
        self._queue.put(_END)

    def abort(self) -> None:
        self._queue.put(_ABORT)

    @property
    def analyze(self) -> Iterator[tuple[str, analyzer_pb2.AnalyzeRequest]]:
        """(urn, request) per custom resource, blocking until the recorder posts the next one."""
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if item is _ABORT:
                raise RecordingAborted
            yield item

    @property
    def analyze_stack(self) -> analyzer_pb2.AnalyzeStackRequest:
        """Only after `analyze` has ended, which `close` guarantees."""
        if self._analyze_stack is None:
            raise RecordingAborted
        return self._analyze_stack
