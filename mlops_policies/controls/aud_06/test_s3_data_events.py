"""Cases for `aud-06-s3-data-events`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.aud_06.s3_data_events import s3_data_events
from tests.policies.audit_fixtures import ACCOUNT, ADVANCED, COMPLIANT_TRAIL, audit_stack
from tests.policies.harness import DELETE, GLOBEX, UNKNOWN, Res, changed, run_stack


def with_trail(trail: dict, deps: dict | None = None) -> list[Res]:
    stack = audit_stack(trail=trail)
    if deps is not None:
        stack[-1].prop_deps = deps
    return stack


def test_fail_data_bucket_not_covered_by_any_selector():
    stack = with_trail(COMPLIANT_TRAIL, {"eventSelectors": ["registry", "dataset"]})
    outcome = run_stack(s3_data_events, stack, tenant=GLOBEX)
    assert outcome.violations == [
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads and writes of "
        "aws:s3/bucketV2:BucketV2 'checkpoint' (purpose checkpoint); required: a data resource {type "
        "'AWS::S3::Object', values ['arn:aws:s3:::acme-checkpoint-111122223333/']} with readWriteType All, "
        "or an equivalent advanced event selector"
    ]
    assert outcome.urns == ["urn:pulumi:acme::mlops-landing-zone::aws:cloudtrail/trail:Trail::trail"]


def test_fail_data_buckets_in_a_stack_without_trail_are_stack_violations():
    outcome = run_stack(s3_data_events, audit_stack(trail=None), tenant=GLOBEX)
    assert outcome.urns == [None, None, None]
    assert outcome.violations[0].startswith(
        "the stack has no aws:cloudtrail/trail:Trail recording S3 data events for reads and writes of "
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry); required:"
    )
    assert outcome.violations == [
        "the stack has no aws:cloudtrail/trail:Trail recording S3 data events for reads and writes "
        "of aws:s3/bucket:Bucket 'registry' (purpose model-registry); required: a data resource "
        "{type 'AWS::S3::Object', values ['arn:aws:s3:::acme-model-registry-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
        "the stack has no aws:cloudtrail/trail:Trail recording S3 data events for reads and writes "
        "of aws:s3/bucket:Bucket 'dataset' (purpose dataset); required: a data resource {type "
        "'AWS::S3::Object', values ['arn:aws:s3:::acme-dataset-111122223333/']} with readWriteType "
        "All, or an equivalent advanced event selector",
        "the stack has no aws:cloudtrail/trail:Trail recording S3 data events for reads and writes "
        "of aws:s3/bucketV2:BucketV2 'checkpoint' (purpose checkpoint); required: a data resource "
        "{type 'AWS::S3::Object', values ['arn:aws:s3:::acme-checkpoint-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
    ]


def test_pass_known_bucket_values_and_all_bucket_selector():
    values = [f"arn:aws:s3:::acme-{p}-{ACCOUNT}/" for p in ("model-registry", "dataset", "checkpoint")]
    trail = changed(COMPLIANT_TRAIL, "eventSelectors.0.dataResources.0.values", values)
    assert run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).passed
    trail = changed(COMPLIANT_TRAIL, "eventSelectors.0.dataResources.0.values", ["arn:aws:s3"])
    assert run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).passed


def test_fail_write_only_selector_misses_reads():
    trail = changed(COMPLIANT_TRAIL, "eventSelectors.0.readWriteType", "WriteOnly")
    outcome = run_stack(s3_data_events, with_trail(trail), tenant=GLOBEX)
    assert len(outcome.violations) == 3
    assert "records no S3 data events for reads of aws:s3/bucket:Bucket 'registry'" in outcome.violations[0]
    assert outcome.violations == [
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads of "
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry); required: a data resource {type "
        "'AWS::S3::Object', values ['arn:aws:s3:::acme-model-registry-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads of "
        "aws:s3/bucket:Bucket 'dataset' (purpose dataset); required: a data resource {type "
        "'AWS::S3::Object', values ['arn:aws:s3:::acme-dataset-111122223333/']} with readWriteType "
        "All, or an equivalent advanced event selector",
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads of "
        "aws:s3/bucketV2:BucketV2 'checkpoint' (purpose checkpoint); required: a data resource "
        "{type 'AWS::S3::Object', values ['arn:aws:s3:::acme-checkpoint-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
    ]


def test_fail_prefix_of_a_bucket_is_not_the_whole_bucket():
    values = [f"arn:aws:s3:::acme-{p}-{ACCOUNT}/models/" for p in ("model-registry", "dataset", "checkpoint")]
    trail = changed(COMPLIANT_TRAIL, "eventSelectors.0.dataResources.0.values", values)
    outcome = run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX)
    assert len(outcome.violations) == 3
    assert outcome.violations == [
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads and writes of "
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry); required: a data resource {type "
        "'AWS::S3::Object', values ['arn:aws:s3:::acme-model-registry-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads and writes of "
        "aws:s3/bucket:Bucket 'dataset' (purpose dataset); required: a data resource {type "
        "'AWS::S3::Object', values ['arn:aws:s3:::acme-dataset-111122223333/']} with readWriteType "
        "All, or an equivalent advanced event selector",
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads and writes of "
        "aws:s3/bucketV2:BucketV2 'checkpoint' (purpose checkpoint); required: a data resource "
        "{type 'AWS::S3::Object', values ['arn:aws:s3:::acme-checkpoint-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
    ]


def test_pass_advanced_selector_for_all_s3_objects_or_bucket_prefixes():
    trail = changed(changed(COMPLIANT_TRAIL, "eventSelectors", DELETE), "advancedEventSelectors", ADVANCED)
    assert run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).passed
    arn_selector = {"field": "resources.ARN", "startsWiths": ["arn:aws:s3:::acme-"]}
    advanced = [{"fieldSelectors": [*ADVANCED[0]["fieldSelectors"], arn_selector]}]
    trail = changed(changed(COMPLIANT_TRAIL, "eventSelectors", DELETE), "advancedEventSelectors", advanced)
    assert run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX).passed


def test_pass_advanced_selectors_for_reads_and_writes_separately_and_unknown_arn_from_dependency():
    read = {"field": "readOnly", "equals": ["true"]}
    write = {"field": "readOnly", "equals": ["false"]}
    arn = {"field": "resources.ARN", "startsWiths": [UNKNOWN, UNKNOWN, UNKNOWN]}
    base = ADVANCED[0]["fieldSelectors"]
    advanced = [{"fieldSelectors": [*base, read, arn]}, {"fieldSelectors": [*base, write, arn]}]
    trail = changed(changed(COMPLIANT_TRAIL, "eventSelectors", DELETE), "advancedEventSelectors", advanced)
    deps = {"advancedEventSelectors": ["registry", "dataset", "checkpoint"]}
    assert run_stack(s3_data_events, with_trail(trail, deps), tenant=GLOBEX).passed
    advanced = [{"fieldSelectors": [*base, read, arn]}]
    trail = changed(trail, "advancedEventSelectors", advanced)
    outcome = run_stack(s3_data_events, with_trail(trail, deps), tenant=GLOBEX)
    assert len(outcome.violations) == 3 and "data events for writes" in outcome.violations[0]


def test_fail_advanced_selector_narrowed_to_some_events():
    narrowed = [*ADVANCED[0]["fieldSelectors"], {"field": "eventName", "equals": ["PutObject"]}]
    trail = changed(
        changed(COMPLIANT_TRAIL, "eventSelectors", DELETE),
        "advancedEventSelectors",
        [{"fieldSelectors": narrowed}],
    )
    outcome = run_stack(s3_data_events, with_trail(trail, {}), tenant=GLOBEX)
    assert len(outcome.violations) == 3
    assert outcome.violations == [
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads and writes of "
        "aws:s3/bucket:Bucket 'registry' (purpose model-registry); required: a data resource {type "
        "'AWS::S3::Object', values ['arn:aws:s3:::acme-model-registry-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads and writes of "
        "aws:s3/bucket:Bucket 'dataset' (purpose dataset); required: a data resource {type "
        "'AWS::S3::Object', values ['arn:aws:s3:::acme-dataset-111122223333/']} with readWriteType "
        "All, or an equivalent advanced event selector",
        "aws:cloudtrail/trail:Trail 'trail' records no S3 data events for reads and writes of "
        "aws:s3/bucketV2:BucketV2 'checkpoint' (purpose checkpoint); required: a data resource "
        "{type 'AWS::S3::Object', values ['arn:aws:s3:::acme-checkpoint-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
    ]


def test_undecided_data_resource_values_unknown_without_dependency_information():
    outcome = run_stack(s3_data_events, with_trail(COMPLIANT_TRAIL, {}), tenant=GLOBEX)
    assert outcome.violations == []
    assert outcome.undecided == "; ".join(
        f"aws:s3/{kind} '{name}': aws:cloudtrail/trail:Trail 'trail' eventSelectors[0] values is unknown "
        "with no dependency on a bucket"
        for kind, name in (
            ("bucket:Bucket", "registry"),
            ("bucket:Bucket", "dataset"),
            ("bucketV2:BucketV2", "checkpoint"),
        )
    )


def test_not_applicable_data_events_for_standard_tenant():
    assert run_stack(s3_data_events, audit_stack(trail=None)).not_applicable is not None


def test_fail_a_trail_with_logging_off_records_no_data_events_whatever_its_selectors():
    trail = changed(COMPLIANT_TRAIL, "enableLogging", False)
    outcome = run_stack(s3_data_events, with_trail(trail), tenant=GLOBEX)
    assert outcome.violations == [
        "aws:cloudtrail/trail:Trail 'trail' has enableLogging false, so it records no S3 data events "
        "for reads and writes of aws:s3/bucket:Bucket 'registry' (purpose model-registry); required: a data "
        "resource {type 'AWS::S3::Object', values ['arn:aws:s3:::acme-model-registry-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
        "aws:cloudtrail/trail:Trail 'trail' has enableLogging false, so it records no S3 data events "
        "for reads and writes of aws:s3/bucket:Bucket 'dataset' (purpose dataset); required: a data "
        "resource {type 'AWS::S3::Object', values ['arn:aws:s3:::acme-dataset-111122223333/']} with "
        "readWriteType All, or an equivalent advanced event selector",
        "aws:cloudtrail/trail:Trail 'trail' has enableLogging false, so it records no S3 data events "
        "for reads and writes of aws:s3/bucketV2:BucketV2 'checkpoint' (purpose checkpoint); required: "
        "a data resource {type 'AWS::S3::Object', values ['arn:aws:s3:::acme-checkpoint-111122223333/']} "
        "with readWriteType All, or an equivalent advanced event selector",
    ]


def test_pass_a_trail_that_logs_covers_the_buckets_beside_one_with_logging_off():
    stack = with_trail(COMPLIANT_TRAIL)
    off = changed(COMPLIANT_TRAIL, "enableLogging", "false")
    stack.append(Res(stack[-1].type, "idle-trail", off, prop_deps=stack[-1].prop_deps))
    assert run_stack(s3_data_events, stack, tenant=GLOBEX).passed


def test_undecided_a_trail_whose_logging_is_unknown():
    outcome = run_stack(
        s3_data_events, with_trail(changed(COMPLIANT_TRAIL, "enableLogging", UNKNOWN)), tenant=GLOBEX
    )
    assert outcome.violations == []
    assert outcome.undecided == "; ".join(
        f"aws:s3/{kind} '{name}': aws:cloudtrail/trail:Trail 'trail' enableLogging is unknown"
        for kind, name in (
            ("bucket:Bucket", "registry"),
            ("bucket:Bucket", "dataset"),
            ("bucketV2:BucketV2", "checkpoint"),
        )
    )
