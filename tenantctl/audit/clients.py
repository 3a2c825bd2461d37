"""boto3 clients for the audit: read-only by construction, patient with throttling.

The guard sits on each client's event system (before-parameter-build), so a mutating call raises before
botocore even serialises the request: a bug in a check can never change the tenant's account.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from tenantctl.audit.model import TOOL_VERSION

# Operation-name prefixes AWS uses for calls that only read.
READ_PREFIXES = ("Describe", "Get", "List", "Head", "Lookup")

# Reads that would hand over data or credentials rather than configuration: the audit judges settings,
# it must never hold a tenant's secret, object or token (and so can never leak one into evidence).
REFUSED_READS = frozenset(
    {
        "GetSecretValue",
        "BatchGetSecretValue",
        "GetRandomPassword",
        "GetObject",
        "GetObjectTorrent",
        "GetAuthorizationToken",
        "GetDownloadUrlForLayer",
        "GetPasswordData",
        "GetParameter",
        "GetParameters",
        "GetParametersByPath",
        "GetSessionToken",
        "GetFederationToken",
    }
)

DEFAULT_MAX_ATTEMPTS = 8


class ReadOnlyViolation(RuntimeError):
    """A call that is not a plain read was attempted through an audit client; nothing was sent."""


def is_allowed(operation: str) -> bool:
    return operation.startswith(READ_PREFIXES) and operation not in REFUSED_READS


def _refuse_writes(model: Any, **_: Any) -> None:
    operation = model.name
    if not is_allowed(operation):
        service = model.service_model.service_name
        raise ReadOnlyViolation(
            f"tenantctl audit is read-only: refused {service}:{operation} before sending it "
            f"(only Describe*/Get*/List*/Head*/Lookup* configuration reads are allowed)"
        )


def guard_read_only(client: Any) -> Any:
    """Make `client` refuse every operation that is not a configuration read."""
    client.meta.events.register(
        "before-parameter-build", _refuse_writes, unique_id="tenantctl-audit-read-only"
    )
    return client


def client_config(max_attempts: int = DEFAULT_MAX_ATTEMPTS, path_style: bool = False) -> Config:
    # Standard retry mode backs off exponentially with jitter on throttling and transient 5xx errors; an
    # audit of a busy account makes hundreds of reads, so it gets more attempts than the default 3.
    return Config(
        retries={"mode": "standard", "max_attempts": max_attempts},
        connect_timeout=10,
        read_timeout=30,
        user_agent_extra=f"tenantctl-audit/{TOOL_VERSION}",
        s3={"addressing_style": "path"} if path_style else None,
    )


class ClientFactory:
    """One guarded client per service, all for the same session, region and (optional) endpoint."""

    def __init__(
        self,
        session: boto3.Session,
        region: str,
        endpoint_url: str | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> None:
        self.session = session
        self.region = region
        self.endpoint_url = endpoint_url
        self.max_attempts = max_attempts
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            # A custom endpoint (moto, a VPC endpoint URL) is not a virtual-host-capable S3 domain.
            config = client_config(self.max_attempts, path_style=self.endpoint_url is not None)
            client = self.session.client(
                service, region_name=self.region, endpoint_url=self.endpoint_url, config=config
            )
            self._clients[service] = guard_read_only(client)
        return self._clients[service]

    def has_credentials(self) -> bool:
        return self.session.get_credentials() is not None
