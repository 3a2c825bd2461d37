"""Cases for `sec-04-lambda-env-secrets`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.sec_04.lambda_env_secrets import lambda_env_secrets
from tests.policies.harness import UNKNOWN, changed, run_resource
from tests.policies.secrets_fixtures import TAGS

LAMBDA = "aws:lambda/function:Function"


COMPLIANT_LAMBDA = {
    "runtime": "python3.12",
    "role": UNKNOWN,
    "environment": {
        "variables": {"DB_SECRET_ARN": UNKNOWN, "MODEL_BUCKET": "acme-model-registry-1", "DEBUG": "0"}
    },
    "tags": TAGS,
}


def test_pass_lambda_passing_secret_arns():
    assert run_resource(lambda_env_secrets, LAMBDA, COMPLIANT_LAMBDA).passed


def test_fail_lambda_with_literal_api_key():
    props = changed(
        COMPLIANT_LAMBDA, "environment.variables.OPENAI_API_KEY", "sk-proj-abc123def456ghi789jkl0"
    )
    outcome = run_resource(lambda_env_secrets, LAMBDA, props)
    assert outcome.violations == [
        "aws:lambda/function:Function 'subject' environment.variables 'OPENAI_API_KEY' has a literal value "
        "that "
        "looks like an API key (sk-...), under a name that suggests a secret (API_KEY); required: the "
        "secret's "
        "ARN, read at runtime from Secrets Manager"
    ]
    assert "sk-proj" not in outcome.violations[0]


def test_undecided_lambda_with_computed_password():
    outcome = run_resource(
        lambda_env_secrets, LAMBDA, changed(COMPLIANT_LAMBDA, "environment.variables.PASSWORD", UNKNOWN)
    )
    assert outcome.violations == [] and outcome.undecided is not None
