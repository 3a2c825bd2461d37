"""Record what a Pulumi program registers under the SDK's mock engine, and look it up by type, name or parent.

`record(build)` runs `build()` through `tenantctl.program.record_program` (the same in-process mock
engine the CLI-free gate uses) and hands back a `Recording`. Inputs are camelCase, as policies see
them; in preview mode unknown values appear as `UNKNOWN`. With `preview=False` the mock fills in
ids (`<name>-id`) and plausible ARNs.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from components.context import TenantContext
from components.tags import Tagging
from tenantctl.program import RecordedResource, record_program

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
TENANT = "acme"
ACCOUNT_ID = "111122223333"
REGION = "us-east-1"
ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"]
ADMIN_ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/platform-admin"
CLASSIFICATION = "confidential"
MANAGED_BY = "mlops-landing-zone"
COMPONENT_PREFIX = "mlops:landingzone:"
FIXTURE_PREFIX = "fixture-"
"""Resources a test builds around a component (keys, log groups) are named `fixture-...`."""


def tagging(tenant: str = TENANT, classification: str = CLASSIFICATION) -> Tagging:
    return Tagging(tenant, classification)


def tenant_context(tenant: str = TENANT, classification: str = CLASSIFICATION) -> TenantContext:
    """The context the component tests build with: tenant acme in ACCOUNT_ID and REGION, unstamped."""
    return TenantContext(id=tenant, account_id=ACCOUNT_ID, region=REGION, data_classification=classification)


def stack_config(region: str = REGION, account_id: str = ACCOUNT_ID) -> dict[str, str]:
    """Stack config as the program sees it: the mock shapes ARNs from the region and platform account."""
    return {
        "aws:region": region,
        "landingzone:platform": json.dumps({"account_id": account_id, "admin_role_arn": ADMIN_ROLE_ARN}),
    }


@dataclass(frozen=True)
class Recording:
    """Every registration of one program run, in registration order."""

    resources: list[RecordedResource]
    preview: bool

    def of_type(self, type_token: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str) -> RecordedResource:
        found = self.of_type(type_token)
        assert len(found) == 1, f"expected one {type_token}, found {[r.name for r in found]}"
        return found[0]

    def named(self, suffix: str) -> RecordedResource:
        """The one resource whose name is `suffix` or ends with `-<suffix>`."""
        found = [r for r in self.resources if r.name == suffix or r.name.endswith(f"-{suffix}")]
        assert len(found) == 1, f"expected one resource named *{suffix}, found {[r.name for r in found]}"
        return found[0]

    def children_of(self, urn: str) -> list[RecordedResource]:
        """Direct children: resources registered with `parent` = urn."""
        return [r for r in self.resources if r.parent == urn]

    def descendants_of(self, urn: str) -> list[RecordedResource]:
        found: list[RecordedResource] = []
        frontier = [urn]
        while frontier:
            children = [r for parent in frontier for r in self.children_of(parent)]
            found.extend(children)
            frontier = [c.urn for c in children]
        return found

    def components(self) -> list[RecordedResource]:
        return [r for r in self.resources if r.type.startswith(COMPONENT_PREFIX)]

    def without_fixtures(self) -> list[RecordedResource]:
        return [r for r in self.resources if not r.name.startswith(FIXTURE_PREFIX)]


def record(
    build: Callable[[], object],
    preview: bool = False,
    *,
    stack: str = TENANT,
    region: str = REGION,
    account_id: str = ACCOUNT_ID,
) -> Recording:
    """Run `build` as a Pulumi program under the mock engine; leave the process's Pulumi config as it was."""
    saved_config = runtime_config.CONFIG.get()
    saved_secret_keys = runtime_config._SECRET_KEYS.get()
    try:
        run = record_program(build, stack, stack_config(region, account_id), preview=preview)
    finally:
        runtime_config.CONFIG.set(saved_config)
        runtime_config._SECRET_KEYS.set(saved_secret_keys)
    return Recording(resources=list(run.resources), preview=preview)


def refused(build: Callable[[], object]) -> pulumi.InputPropertiesError:
    """The InputPropertiesError `build` raises under the mock engine constructing a component with bad args.

    Fails when nothing is raised, and when the refused component registered anything (it validates
    before registering itself).
    """
    raised: list[pulumi.InputPropertiesError] = []

    def run() -> None:
        try:
            build()
        except pulumi.InputPropertiesError as error:
            raised.append(error)

    recording = record(run)
    assert len(raised) == 1, "the component accepted its args"
    assert [r.name for r in recording.without_fixtures()] == []
    return raised[0]


def property_errors(error: pulumi.InputPropertiesError) -> list[tuple[str, str]]:
    """(property path, reason) of every problem the error names, in its order."""
    return [(detail["property_path"], detail["reason"]) for detail in error.errors or []]


# ---------------------------------------------------------------- reading inputs


def document(resource: RecordedResource, key: str = "policy") -> dict[str, Any]:
    """A JSON policy document input (key policy, bucket policy, trust policy), parsed."""
    text = resource.inputs[key]
    assert isinstance(text, str) and text != UNKNOWN, (
        f"{resource.name}.{key} is not a known document: {text!r}"
    )
    parsed = json.loads(text)
    assert isinstance(parsed, dict)
    return parsed


def statements(resource: RecordedResource, key: str = "policy") -> list[dict[str, Any]]:
    return list(document(resource, key)["Statement"])


def statement(resource: RecordedResource, sid: str, key: str = "policy") -> dict[str, Any]:
    found = [s for s in statements(resource, key) if s.get("Sid") == sid]
    assert len(found) == 1, f"expected one statement {sid} in {resource.name}.{key}"
    return found[0]


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def depends_on(resource: RecordedResource, target: RecordedResource, prop: str | None = None) -> bool:
    """Whether `resource` depends on `target`: through input `prop` when given, else at all."""
    if prop is not None:
        return target.urn in resource.property_dependencies.get(prop, [])
    return target.urn in resource.dependencies


def mock_id(name: str) -> str:
    """The id the mock engine gives a resource in known (non-preview) mode."""
    return f"{name}-id"


def mock_key_arn(name: str, region: str = REGION, account_id: str = ACCOUNT_ID) -> str:
    return f"arn:aws:kms:{region}:{account_id}:key/{name}-key-id"


@functools.cache
def accepts_tags(type_token: str) -> bool:
    """Whether the pulumi-aws resource behind a type token takes a `tags` input (is taggable)."""
    _, module_path, class_name = type_token.split(":")
    module = importlib.import_module(f"pulumi_aws.{module_path.split('/')[0]}")
    cls = getattr(module, class_name)
    return "tags" in inspect.signature(cls._internal_init).parameters


def capture_options(captured: dict[str, pulumi.ResourceOptions]) -> pulumi.ResourceOptions:
    """Options for a component that record each descendant's final resource options by name.

    Transformations set on a component apply to every resource registered beneath it, and see the
    options the SDK will use (provider included), which the engine's registration does not show.
    """

    def capture(args: pulumi.ResourceTransformationArgs) -> None:
        captured[args.name] = args.opts
        return None

    return pulumi.ResourceOptions(transformations=[capture])
