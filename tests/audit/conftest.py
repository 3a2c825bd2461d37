"""A moto server over real HTTP for the whole session, reset before each test, and a compliant tenant."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import boto3
import pytest
from audit_world import REGION, TenantWorld, build_tenant, reset_moto
from moto.server import ThreadedMotoServer

FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    # Never let a developer's real profile or config leak into the tests.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    saved = {key: os.environ.get(key) for key in (*FAKE_ENV, "AWS_PROFILE")}
    os.environ.update(FAKE_ENV)
    os.environ.pop("AWS_PROFILE", None)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def endpoint(moto_server: str) -> str:
    reset_moto(moto_server)
    return moto_server


@pytest.fixture(scope="session")
def session(moto_server: str) -> boto3.Session:
    # One session for the run: botocore caches service models per session, which saves seconds.
    return boto3.Session(region_name=REGION)


@pytest.fixture
def world(session: boto3.Session, endpoint: str) -> TenantWorld:
    return build_tenant(session, endpoint)


@pytest.fixture(scope="module")
def compliant_world(session: boto3.Session, moto_server: str) -> TenantWorld:
    """One compliant tenant for a whole module of tests that only read (audits never write)."""
    reset_moto(moto_server)
    return build_tenant(session, moto_server)


@pytest.fixture
def regulated_world(session: boto3.Session, endpoint: str) -> TenantWorld:
    return build_tenant(session, endpoint, tenant="globex", tier="regulated")


@pytest.fixture
def world_with_managed_policies(
    session: boto3.Session, moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> TenantWorld:
    # AWS-managed policies (AdministratorAccess) exist in moto only when loaded, which costs a second per
    # reset: the IAM backend reads this variable when the reset rebuilds it, so only this test pays.
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    reset_moto(moto_server)
    return build_tenant(session, moto_server)
