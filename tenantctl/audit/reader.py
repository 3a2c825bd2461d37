"""Every AWS read of the audit goes through AwsReader: it records the response as evidence, caches it
for the other checks that judge the same setting, and turns errors into one of three outcomes.

- the resource answers that the setting is absent (NoSuchBucketPolicy, ...): a Reply without data, which
  a check judges (usually a fail);
- the caller may not look (access denied) or the endpoint does not implement the call: Unobservable,
  which the runner turns into a not_observable result naming the error code;
- anything else (a bug, a refused write, no credentials): raised, because guessing would hide it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from tenantctl.audit.clients import ClientFactory

ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "AuthorizationError",
        "AuthorizationErrorException",
        "NotAuthorized",
        "Forbidden",
    }
)
NOT_IMPLEMENTED_CODES = frozenset(
    {"NotImplemented", "InvalidAction", "UnknownOperationException", "404", "501"}
)

# Keys that can carry secret material in some API response; the audit never calls an API that returns
# them (clients.REFUSED_READS), and scrubs them anyway so evidence can never hold one.
SECRET_KEYS = frozenset({"SecretString", "SecretBinary", "Plaintext", "Password", "SecretAccessKey"})


class Unobservable(Exception):
    """The audit could not see a setting: the check that needed it is not_observable, not failed."""

    def __init__(self, code: str, operation: str, message: str = "") -> None:
        self.code = code
        self.operation = operation
        super().__init__(f"{operation}: {code}{': ' + message if message else ''}")


@dataclass(frozen=True)
class RecordedCall:
    ref: str
    service: str
    operation: str
    params: dict[str, Any]
    response: dict[str, Any] | None
    error_code: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "service": self.service,
            "operation": self.operation,
            "params": self.params,
            "error_code": self.error_code,
            "response": self.response,
        }


@dataclass(frozen=True)
class Reply:
    ref: str
    data: dict[str, Any] | None  # None: the resource reported the setting absent (absent_code says how)
    absent_code: str | None = None

    @property
    def absent(self) -> bool:
        return self.data is None


def scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("<redacted>" if k in SECRET_KEYS else scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    return str(value)


class AwsReader:
    def __init__(self, clients: ClientFactory) -> None:
        self.clients = clients
        self.calls: list[RecordedCall] = []
        self._cache: dict[str, Reply | Unobservable] = {}

    def read(self, service: str, method: str, *, absent: Collection[str] = (), **params: Any) -> Reply:
        """Call `method` (boto3 snake_case name) once per distinct parameters; later calls reuse it."""
        key = json.dumps([service, method, params], sort_keys=True, default=json_default)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._call(service, method, absent, params)
            self._cache[key] = cached
        if isinstance(cached, Unobservable):
            raise cached
        return cached

    def refs(self, service: str, operation: str) -> list[str]:
        return [c.ref for c in self.calls if c.service == service and c.operation == operation]

    def pages(self, service: str, method: str, result_key: str, **params: Any) -> list[Any]:
        """Every item of a paginated list call; each page is recorded as its own response."""
        return self.listing(service, method, result_key, **params)[0]

    def listing(
        self, service: str, method: str, result_key: str, **params: Any
    ) -> tuple[list[Any], list[str]]:
        """Every item of a paginated list call, and the refs of the pages that held them."""
        items: list[Any] = []
        refs: list[str] = []
        token_in, token_out = _pagination_keys(self.clients.client(service), method)
        page_params = dict(params)
        while True:
            reply = self.read(service, method, **page_params)
            refs.append(reply.ref)
            data = reply.data or {}
            items.extend(data.get(result_key, []))
            token = data.get(token_out) if token_out else None
            if not token:
                return items, refs
            page_params[token_in] = token

    def _call(
        self, service: str, method: str, absent: Collection[str], params: dict[str, Any]
    ) -> Reply | Unobservable:
        client = self.clients.client(service)
        operation = client.meta.method_to_api_mapping.get(method, method)
        ref = f"{len(self.calls) + 1:04d}-{service}-{operation}"
        try:
            response = getattr(client, method)(**params)
        except ClientError as err:
            code, status = _error_code(err)
            self._record(ref, service, operation, params, None, code)
            if code in absent:
                return Reply(ref=ref, data=None, absent_code=code)
            if code in ACCESS_DENIED_CODES or status == 403:
                return Unobservable(code, f"{service}:{operation}", "access denied")
            if code in NOT_IMPLEMENTED_CODES or (status in (404, 501) and code.isdigit()):
                return Unobservable(
                    "NotImplemented", f"{service}:{operation}", "the endpoint does not implement it"
                )
            return Unobservable(code, f"{service}:{operation}", _error_message(err))
        except ResponseParserError:
            # An endpoint answering with something that is not AWS's protocol (an emulator's HTML error page).
            self._record(ref, service, operation, params, None, "InvalidResponse")
            return Unobservable(
                "InvalidResponse", f"{service}:{operation}", "the endpoint's answer was not an AWS response"
            )
        data = {k: v for k, v in response.items() if k != "ResponseMetadata"}
        self._record(ref, service, operation, params, data, None)
        return Reply(ref=ref, data=data)

    def _record(
        self,
        ref: str,
        service: str,
        operation: str,
        params: dict[str, Any],
        response: dict[str, Any] | None,
        error_code: str | None,
    ) -> None:
        self.calls.append(RecordedCall(ref, service, operation, scrub(params), scrub(response), error_code))


def _error_code(err: ClientError) -> tuple[str, int]:
    error = err.response.get("Error", {})
    status = int(err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return str(error.get("Code") or status or "Unknown"), status


def _error_message(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Message", ""))[:200]


def _pagination_keys(client: Any, method: str) -> tuple[str, str | None]:
    if not client.can_paginate(method):
        return "", None
    config = client.get_paginator(method)._pagination_cfg
    token_in, token_out = config["input_token"], config["output_token"]
    # A few services paginate with several tokens; the audit only reads lists with a single one.
    if isinstance(token_in, list):
        token_in, token_out = token_in[0], token_out[0]
    return str(token_in), str(token_out)
