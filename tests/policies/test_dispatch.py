"""The packs' dispatching servicer answers exactly like the SDK's own, and stays tied to the SDK it mirrors.

mlops_policies.dispatch skips conversions and out-of-scope calls; these tests send every request of
every example stack (first preview and known outputs) and of every mutation, addition and removal of
the mutation table to both servicers and require byte-identical responses.
"""

from __future__ import annotations

import hashlib
import inspect
from importlib import metadata

import pytest
from pulumi_policy import policy as sdk

from mlops_policies import dispatch
from mlops_policies.packs import pack_rules
from tenantctl.analyzer import AnalyzerRequests, configure_request, reconcile_config
from tenantctl.program import ProgramRun
from tests.policies.inprocess import added, mutated, packs_for, removed, servicer, stack_environment
from tests.policies.test_example_stacks_and_mutations import (
    ADDITIONS,
    MUTATIONS,
    REMOVALS,
    STACKS,
    extra,
    recorded,
    set_path,
)


def responses(
    run: ProgramRun, pack: str, sdk_servicer: bool, only: frozenset[str], user_config: dict | None = None
) -> list[bytes]:
    """Every response one pack gives for the run, serialized (deterministically) for comparison."""
    target = servicer(pack, only, sdk=sdk_servicer)
    requests = AnalyzerRequests.build(run)
    with stack_environment(run):
        info = target.GetAnalyzerInfo(None, None)
        target.Configure(configure_request(reconcile_config(info, user_config)), None)
        answers = [target.Analyze(request, None) for _urn, request in requests.analyze]
        answers.append(target.AnalyzeStack(requests.analyze_stack, None))
    return [answer.SerializeToString(deterministic=True) for answer in answers]


def assert_same_answers(run: ProgramRun, only: frozenset[str] = frozenset()) -> None:
    """Both servicers, every pack of the run (or just the policies in `only`), every request."""
    for pack in packs_for(run):
        if only and not any(rule.name in only for rule in pack_rules(pack)):
            continue
        ours = responses(run, pack, sdk_servicer=False, only=only)
        theirs = responses(run, pack, sdk_servicer=True, only=only)
        assert len(ours) == len(theirs)
        differing = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
        assert not differing, f"{pack}: responses {differing} differ from the SDK servicer's"


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("preview", [False, True], ids=["known-outputs", "first-preview"])
def test_pass_example_stacks_get_the_sdk_servicers_answers(stack, preview):
    assert_same_answers(recorded(stack, preview))


def test_pass_every_mutation_addition_and_removal_gets_the_sdk_servicers_answers():
    # Whole packs are compared on the example stacks above; here the policy each case makes fire,
    # over every resource of the changed stack, which keeps this test to seconds.
    for _case, stack, type_, name, change, policy in MUTATIONS:
        assert_same_answers(mutated(recorded(stack, False), type_, name, change), frozenset({policy}))
    for case, stack, type_, props, policy in ADDITIONS:
        resource = extra(stack, type_, f"{stack}-{case}", props)
        assert_same_answers(added(recorded(stack, False), resource), frozenset({policy}))
    for _case, stack, type_, name, policy in REMOVALS:
        assert_same_answers(removed(recorded(stack, False), type_, name), frozenset({policy}))


def test_pass_a_new_config_changes_the_answers_as_it_changes_the_sdk_servicers():
    # The dispatching servicer plans per resource type which policies run at which level; a later
    # Configure must void those plans, as it changes the SDK servicer's answers.
    run = mutated(
        recorded("acme", False), "aws:kms/key:Key", "acme-keys-data", set_path("enableKeyRotation", False)
    )
    weakened = {"sec-01-kms-key-rotation": "disabled", "prov-03-ecr-scan-on-push": "advisory"}
    answers = []
    # Ends on the default config: the servicers are shared with the other tests of this module.
    for user_config in (None, weakened, None):
        ours = responses(run, "mlops-baseline", False, frozenset(), user_config)
        theirs = responses(run, "mlops-baseline", True, frozenset(), user_config)
        assert ours == theirs
        answers.append(b"".join(ours))
    assert b"sec-01-kms-key-rotation" in answers[0] and b"sec-01-kms-key-rotation" in answers[2]
    assert b"sec-01-kms-key-rotation" not in answers[1]


def test_pass_an_out_of_scope_resource_is_answered_not_applicable_with_the_rules_own_reason():
    run = recorded("acme", False)
    vpc = next(r for r in run.resources if r.type == "aws:ec2/vpc:Vpc")
    request = dict(AnalyzerRequests.build(ProgramRun(**{**vars(run), "resources": [vpc]})).analyze)[vpc.urn]
    target = servicer("mlops-baseline")
    with stack_environment(run):
        answer = target.Analyze(request, None)
    reasons = {na.policy_name: na.reason for na in answer.not_applicable}
    assert reasons["sec-01-kms-key-rotation"] == (
        "sec-01-kms-key-rotation judges aws:kms/externalKey:ExternalKey, aws:kms/key:Key, "
        "aws:kms/replicaExternalKey:ReplicaExternalKey, aws:kms/replicaKey:ReplicaKey"
    )


# The dispatching servicer mirrors these SDK internals; a new pulumi-policy must be re-read, not trusted.
SDK_SOURCE_FINGERPRINTS = {
    "_PolicyAnalyzerServicer.Analyze": "75db9cf8fc9d1585",
    "_PolicyAnalyzerServicer.AnalyzeStack": "3917a008482c2387",
}


def _fingerprint(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def test_pass_the_installed_pulumi_policy_is_the_release_dispatch_mirrors():
    assert metadata.version("pulumi-policy") == dispatch.SDK_VERSION
    found = {
        "_PolicyAnalyzerServicer.Analyze": _fingerprint(
            inspect.getsource(sdk._PolicyAnalyzerServicer.Analyze)
        ),
        "_PolicyAnalyzerServicer.AnalyzeStack": _fingerprint(
            inspect.getsource(sdk._PolicyAnalyzerServicer.AnalyzeStack)
        ),
    }
    assert found == SDK_SOURCE_FINGERPRINTS


def test_pass_policy_pack_builds_its_servicer_by_looking_the_class_up_by_name():
    # dispatch.serve swaps the module attribute; that only works while PolicyPack resolves it at call time.
    assert "servicer = _PolicyAnalyzerServicer(" in inspect.getsource(sdk.PolicyPack.__init__)
