"""The program stamps the project and control-catalog versions on the tenant's resources: a tag on every
taggable AWS resource and a label on every namespace, so an audit can tell which controls were active."""

from __future__ import annotations

import re

from components.tags import Tagging
from landingzone.versions import CATALOG_VERSION_TAG, PROJECT_VERSION_TAG, stamp
from tests.components.recording import accepts_tags

LABEL_VALUE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?")


def test_the_stamp_names_the_catalog_version_and_a_label_safe_project_version() -> None:
    versions = stamp()

    assert versions[CATALOG_VERSION_TAG] == "1"
    assert LABEL_VALUE.fullmatch(versions[PROJECT_VERSION_TAG])


def test_every_taggable_aws_resource_and_every_namespace_of_the_zone_carries_the_stamp(recorded) -> None:
    recording = recorded("zone-acme")
    taggable = [r for r in recording.without_fixtures() if r.type.startswith("aws:") and accepts_tags(r.type)]
    namespaces = recording.of_type("kubernetes:core/v1:Namespace")

    assert taggable and namespaces
    for resource in taggable:
        assert {k: resource.inputs["tags"].get(k) for k in stamp()} == stamp(), resource.name
    for namespace in namespaces:
        labels = namespace.inputs["metadata"]["labels"]
        assert {k: labels.get(k) for k in stamp()} == stamp(), namespace.name


def test_version_labels_is_the_stamp_alone_for_objects_that_build_their_own_labels() -> None:
    tagging = Tagging("acme", "confidential", stamp())

    assert tagging.version_labels() == stamp()
    assert Tagging("acme", "confidential").version_labels() == {}
