"""Cases for `sec-04-user-data-secrets`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import base64
import gzip

from mlops_policies.controls.sec_04._fixtures import HF_TOKEN, PASSWORD, assert_no_secret_in
from mlops_policies.controls.sec_04.user_data_secrets import user_data_secrets
from tests.policies.harness import UNKNOWN, changed, run_resource
from tests.policies.secrets_fixtures import ACCESS_KEY_ID, TAGS

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


BOOTSTRAP = (
    "#!/bin/bash\nset -euo pipefail\n"
    "/etc/eks/bootstrap.sh acme-cluster --kubelet-extra-args '--node-labels=tenant=acme'\n"
)


COMPLIANT_LAUNCH_TEMPLATE = {"userData": base64.b64encode(BOOTSTRAP.encode()).decode(), "tags": TAGS}


def encoded(script: str) -> str:
    return base64.b64encode(script.encode()).decode()


def test_pass_plain_bootstrap_user_data():
    assert run_resource(user_data_secrets, LAUNCH_TEMPLATE, COMPLIANT_LAUNCH_TEMPLATE).passed


def test_fail_base64_user_data_with_an_access_key_id():
    script = BOOTSTRAP + f"export AWS_ACCESS_KEY_ID={ACCESS_KEY_ID}\n"
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", encoded(script))
    )
    assert outcome.violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'subject' has userData (base64-decoded) containing an AWS "
        "access key "
        "id at line 4; required: no credentials in user data (fetch them at boot with the instance role)"
    ]


def test_fail_plain_text_user_data_with_a_private_key_and_a_password():
    script = (
        "#cloud-config\nchpasswd: {expire: False}\npassword: " + PASSWORD + "\nwrite_files:\n- content: |\n"
    )
    script += "    -----BEGIN OPENSSH PRIVATE KEY-----\n"
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", script)
    )
    assert [v.split(" containing ")[1].split(";")[0] for v in outcome.violations] == [
        "a password assignment at line 3",
        "a private key block at line 6",
    ]
    assert_no_secret_in(outcome.violations)


def test_fail_gzipped_user_data_is_unpacked():
    packed = base64.b64encode(gzip.compress(f"export HF_TOKEN={HF_TOKEN}\n".encode())).decode()
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", packed)
    )
    assert (
        len(outcome.violations) == 1
        and "(base64-decoded, gunzipped) containing a Hugging Face token" in outcome.violations[0]
    )
    assert outcome.violations == [
        "aws:ec2/launchTemplate:LaunchTemplate 'subject' has userData (base64-decoded, gunzipped) "
        "containing a Hugging Face token at line 1; required: no credentials in user data (fetch "
        "them at boot with the instance role)",
    ]


def test_undecided_user_data_computed_from_cluster_outputs():
    outcome = run_resource(
        user_data_secrets, LAUNCH_TEMPLATE, changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", UNKNOWN)
    )
    assert outcome.undecided is not None
