"""The undecided-diagnostic contract between packs and gate (mlops_policies/undecided.py)."""

from mlops_policies import undecided


def test_pass_a_written_message_reads_back_as_undecided_with_its_reason():
    text = undecided.message("sec-06-irsa-trust", "mlops-baseline", "0.0.1", "the OIDC issuer is unknown")
    assert text == (
        "can't run policy 'sec-06-irsa-trust' from policy pack 'mlops-baseline@v0.0.1' during preview: "
        "the OIDC issuer is unknown"
    )
    assert undecided.is_undecided(text)
    assert undecided.reason(text) == "the OIDC issuer is unknown"


def test_fail_a_violation_message_is_not_undecided():
    text = "KMS key acme-keys-data: enableKeyRotation is false; required: true"
    assert not undecided.is_undecided(text)
    assert undecided.reason(text) is None
