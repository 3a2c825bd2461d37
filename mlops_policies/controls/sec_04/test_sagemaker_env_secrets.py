"""Cases for `sec-04-sagemaker-env-secrets`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.sec_04._fixtures import HF_TOKEN, PASSWORD
from mlops_policies.controls.sec_04.sagemaker_env_secrets import sagemaker_env_secrets
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource
from tests.policies.secrets_fixtures import TAGS

SAGEMAKER = "aws:sagemaker/model:Model"


COMPLIANT_MODEL = {
    "executionRoleArn": UNKNOWN,
    "primaryContainer": {"image": "registry/llm@sha256:01", "environment": {"HF_MODEL_ID": "/opt/ml/model"}},
    "tags": TAGS,
}


def test_pass_sagemaker_model_without_secrets():
    assert run_resource(sagemaker_env_secrets, SAGEMAKER, COMPLIANT_MODEL).passed


def test_fail_sagemaker_primary_container_with_hugging_face_token():
    props = changed(COMPLIANT_MODEL, "primaryContainer.environment.HF_TOKEN", HF_TOKEN)
    outcome = run_resource(sagemaker_env_secrets, SAGEMAKER, props)
    assert outcome.violations == [
        "aws:sagemaker/model:Model 'subject' primaryContainer.environment 'HF_TOKEN' has a literal value "
        "that "
        "looks like a Hugging Face token, under a name that suggests a secret (TOKEN); required: the "
        "secret's "
        "ARN, read at runtime from Secrets Manager"
    ]


def test_fail_sagemaker_inference_pipeline_container_with_password():
    props = changed(COMPLIANT_MODEL, "primaryContainer", DELETE)
    props["containers"] = [{"image": "a"}, {"image": "b", "environment": {"DB_PASSWORD": PASSWORD}}]
    outcome = run_resource(sagemaker_env_secrets, SAGEMAKER, props)
    assert len(outcome.violations) == 1 and "containers[1].environment 'DB_PASSWORD'" in outcome.violations[0]
    assert outcome.violations == [
        "aws:sagemaker/model:Model 'subject' containers[1].environment 'DB_PASSWORD' has a literal "
        "value under a name that suggests a secret (PASSWORD); required: the secret's ARN, read at "
        "runtime from Secrets Manager",
    ]
