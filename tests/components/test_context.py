"""TenantContext: one tenant's id, account, region and tag vocabulary, built once from the stack config."""

from __future__ import annotations

import dataclasses

import pytest

from components.context import TenantContext
from components.tags import Tagging
from landingzone.versions import stamp
from tests.components.scenarios import zone_settings


def test_the_context_of_a_stack_config_names_its_tenant_account_region_and_classification() -> None:
    context = TenantContext.of(zone_settings("globex"), stamp())

    assert (context.id, context.account_id, context.region, context.data_classification) == (
        "globex",
        "444455556666",
        "eu-central-1",
        "restricted",
    )
    assert context.tagging == Tagging("globex", "restricted", stamp())


def test_the_tagging_is_derived_so_it_names_the_context_tenant_and_its_stamp() -> None:
    context = TenantContext(
        id="acme", account_id="111122223333", region="us-east-1", data_classification="internal"
    )

    assert context.tagging.tags() == {
        "tenant": "acme",
        "environment": "shared",
        "managed-by": "mlops-landing-zone",
    }
    assert context.tagging.bucket_tags("dataset")["data-classification"] == "internal"


def test_no_component_can_change_the_context_another_one_sees() -> None:
    context = TenantContext.of(zone_settings("acme"), {})

    with pytest.raises(dataclasses.FrozenInstanceError):
        context.region = "eu-west-1"  # type: ignore[misc]


def test_every_component_of_a_zone_is_built_for_the_same_tenant_account_and_region(recorded) -> None:
    recording = recorded("zone-initech")
    tagged = [r for r in recording.resources if isinstance(r.inputs.get("tags"), dict)]

    assert tagged
    assert {r.inputs["tags"]["tenant"] for r in tagged} == {"initech"}
    kms_policies = [r.inputs["policy"] for r in recording.of_type("aws:kms/key:Key")]
    assert kms_policies and all("arn:aws:iam::777788889999:root" in p for p in kms_policies)
    assert all("us-east-1" not in str(r.inputs) for r in recording.resources)
