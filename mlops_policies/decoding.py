"""Bounded decoding for the credential scan (SEC-04): every text a value holds, through base64, gzip and
MIME multipart layers, recursively.

Bounded (MAX_DEPTH, MAX_DECODED_BYTES, MAX_TEXTS) so a gzip bomb or a deeply nested value cannot stall a
preview; `Decoded.incomplete` says which bound stopped the reading, so the caller can refuse to call it
clean. Nothing here recognises credentials: mlops_policies.credentials scans the texts.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import email.parser
import email.policy
import re
import zlib
from dataclasses import dataclass, field

MAX_DEPTH = 6
"""Encoding layers read below the value as given (base64 of gzip of a MIME part... each count)."""
MAX_DECODED_BYTES = 4 << 20
"""Decoded text read per value, all layers together (a gzip bomb stops here)."""
MAX_TEXTS = 256
"""Decoded texts (MIME parts, embedded base64 blobs) read per value."""

_GZIP_MAGIC = b"\x1f\x8b"
# A base64 (or base64url) word: the alphabet, at least 20 characters (15 bytes), optional padding.
_BASE64_WORD = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])")
# A line holding only base64 characters: MIME bodies and YAML block scalars wrap base64 at 76 columns.
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_MIME_START = re.compile(r"\A\s*(?:[A-Za-z-]+:[^\n]*\n)*?content-type:[ \t]*multipart/", re.IGNORECASE)


@dataclass(frozen=True)
class Layer:
    """One text read from a value, and how it was reached (e.g. 'base64-decoded, gunzipped')."""

    how: str
    text: str


@dataclass
class Decoded:
    """Every text a value holds, and why reading stopped early (None when everything was read)."""

    layers: list[Layer] = field(default_factory=list)
    incomplete: str | None = None
    _bytes: int = 0


def _text(raw: bytes) -> str | None:
    """`raw` as text when it is text (UTF-8, mostly printable); None for binary junk."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    return text if printable >= 0.95 * len(text) else None


def _base64(candidate: str) -> bytes | None:
    compact = re.sub(r"\s+", "", candidate)
    if len(compact) < 8:
        return None
    bare = compact.rstrip("=")
    if len(bare) % 4 == 1:
        return None
    try:
        return base64.b64decode(
            bare.replace("-", "+").replace("_", "/") + "=" * (-len(bare) % 4), validate=True
        )
    except (binascii.Error, ValueError):
        return None


class _Reader:
    def __init__(self) -> None:
        self.result = Decoded()

    def stop(self, why: str) -> None:
        if self.result.incomplete is None:
            self.result.incomplete = why

    def add(self, how: str, text: str, depth: int) -> None:
        if self.result.incomplete is not None:
            return
        if len(self.result.layers) >= MAX_TEXTS:
            self.stop(f"it holds more than {MAX_TEXTS} encoded texts")
            return
        if self.result._bytes + len(text) > MAX_DECODED_BYTES:
            self.stop(f"it decodes to more than {MAX_DECODED_BYTES // (1 << 20)} MiB")
            return
        self.result._bytes += len(text)
        self.result.layers.append(Layer(how, text))
        self.inner(how, text, depth)

    def raw(self, how: str, raw: bytes, depth: int) -> None:
        """Decoded bytes: gunzip them if they are gzip, read them if they are text."""
        if depth > MAX_DEPTH:
            if raw[:2] == _GZIP_MAGIC or _text(raw) is not None:
                self.stop(f"it is nested more than {MAX_DEPTH} encodings deep")
            return
        if raw[:2] == _GZIP_MAGIC:
            budget = MAX_DECODED_BYTES - self.result._bytes
            inflater = zlib.decompressobj(wbits=31)
            try:
                raw = inflater.decompress(raw, budget + 1)
            except zlib.error:
                return  # not gzip after all: nothing cloud-init could read either
            if len(raw) > budget or inflater.unconsumed_tail:
                self.stop(f"it decodes to more than {MAX_DECODED_BYTES // (1 << 20)} MiB")
                return
            self.raw(f"{how}, gunzipped", raw, depth + 1)
            return
        text = _text(raw)
        if text is not None:
            self.add(how, text, depth)

    def inner(self, how: str, text: str, depth: int) -> None:
        """The encoded texts inside one text: MIME parts, or base64 words and wrapped base64 blocks."""
        prefix = "" if how == "as given" else f"{how}, "
        if _MIME_START.match(text[:4096]):
            # Parts are read decoded; text inside each part is searched again at the next layer.
            self.mime(prefix, text, depth)
            return
        compact = re.sub(r"\s+", "", text)
        whole = _base64(compact) if _BASE64_LINE.fullmatch(compact or "-") else None
        if whole is not None:
            self.raw(f"{prefix}base64-decoded", whole, depth + 1)
            return
        blocks = _wrapped_blocks(text)
        in_block = {n for first, last, _ in blocks for n in range(first, last + 1)}
        newlines = [i for i, c in enumerate(text) if c == "\n"] if "\n" in text else []
        for match in _BASE64_WORD.finditer(text):
            line = bisect.bisect_left(newlines, match.start()) + 1
            decoded = None if line in in_block else _base64(match.group())
            if decoded is not None:
                self.raw(f"{prefix}base64-decoded (line {line})", decoded, depth + 1)
        for first, _, block in blocks:
            decoded = _base64(block)
            if decoded is not None:
                self.raw(f"{prefix}base64-decoded (lines from {first})", decoded, depth + 1)

    def mime(self, prefix: str, text: str, depth: int) -> None:
        message = email.parser.Parser(policy=email.policy.compat32).parsestr(text)
        if not message.is_multipart():
            return
        for index, part in enumerate(message.walk()):
            if part.is_multipart():
                continue
            if index > MAX_TEXTS:
                self.stop(f"it has more than {MAX_TEXTS} MIME parts")
                return
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                self.raw(f"{prefix}MIME part {index}", payload, depth + 1)


def _wrapped_blocks(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, joined text) of runs of 2+ lines holding only base64 characters: MIME
    bodies and YAML block scalars wrap base64 at 76 columns. Padding ends a run."""
    blocks: list[tuple[int, int, str]] = []
    run: list[str] = []
    start = 0
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        bare = line.strip()
        if len(bare) >= 4 and _BASE64_LINE.fullmatch(bare):
            if not run:
                start = number
            run.append(bare)
            if not bare.endswith("="):
                continue
            number += 1
        if len(run) >= 2 and sum(len(r) for r in run) >= 20:
            blocks.append((start, number - 1, "".join(run)))
        run = []
    return blocks


def decode(value: str) -> Decoded:
    """The value as given and every text encoded inside it (base64, gzip, MIME parts), recursively.

    Bounded by MAX_DEPTH, MAX_DECODED_BYTES and MAX_TEXTS; `incomplete` says which bound stopped it.
    """
    reader = _Reader()
    reader.add("as given", value, 0)
    return reader.result
