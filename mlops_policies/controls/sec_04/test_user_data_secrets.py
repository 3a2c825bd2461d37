"""Cases for `sec-04-user-data-secrets`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

import base64
import gzip

import pytest

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


# ---------------------------------------------------------------- files and logins a boot script writes
# The shell reading above misses credentials in the files user data writes (INI, YAML, JSON, .netrc) and
# in passwords given to login commands as short flags; each case adds one such line to the baseline.
# The values are documented examples or made up.

REGISTRY_PASSWORD = "S3cr3tPassw0rd"
NETRC_TOKEN = "8f3c1a9e2b7d4c6f8a0e1b2c3d4e5f6a7b8c9d0e"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
API_KEY = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
MADE_UP = (REGISTRY_PASSWORD, NETRC_TOKEN, SECRET_ACCESS_KEY, API_KEY)
WHERE = f"{LAUNCH_TEMPLATE} 'subject' has userData (base64-decoded)"
REQUIRED = "required: no credentials in user data (fetch them at boot with the instance role)"


def with_script(extra: str) -> dict[str, object]:
    return changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", encoded(BOOTSTRAP + extra))


def assert_no_made_up_secret_in(messages: list[str]) -> None:
    assert messages
    for message in messages:
        assert not any(value in message for value in MADE_UP)


@pytest.mark.parametrize(
    "command",
    [
        f"docker login -u admin -p {REGISTRY_PASSWORD} registry.example.com\n",
        f"docker login -u admin -p={REGISTRY_PASSWORD} registry.example.com\n",
        f"podman login -u admin -p{REGISTRY_PASSWORD} registry.example.com\n",
        f"helm registry login registry.example.com -u admin -p '{REGISTRY_PASSWORD}'\n",
        # A command continued over lines is one command line; the password is on line 6.
        f"docker login \\\n  -u admin \\\n  -p {REGISTRY_PASSWORD} registry.example.com\n",
        f"sshpass -p {REGISTRY_PASSWORD} ssh admin@10.0.0.5 true\n",
        f"mysql -uadmin -p{REGISTRY_PASSWORD} -h db.internal app\n",
        f"echo '{REGISTRY_PASSWORD}' | docker login -u admin --password-stdin registry.example.com\n",
        f"docker login -u admin --password-stdin registry.example.com <<< {REGISTRY_PASSWORD}\n",
    ],
    ids=[
        "docker-p",
        "docker-p=",
        "podman-pvalue",
        "helm-registry",
        "continued",
        "sshpass",
        "mysql-pvalue",
        "echo-to-stdin",
        "here-string",
    ],
)
def test_fail_password_given_to_a_login_command(command: str):
    outcome = run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(command))
    line = 4 + command.count("\\\n")
    assert outcome.violations == [
        f"{WHERE} containing a password given to a login command at line {line}; {REQUIRED}"
    ]
    assert_no_made_up_secret_in(outcome.violations)


def test_fail_docker_login_with_a_long_password_flag():
    # Read by the shell scanner as a flag named for a secret; reported once, not again as a login password.
    command = f"docker login -u admin --password {REGISTRY_PASSWORD} registry.example.com\n"
    outcome = run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(command))
    assert outcome.violations == [
        f"{WHERE} containing a literal assigned to a secret-named variable at line 4; {REQUIRED}"
    ]


@pytest.mark.parametrize(
    "command",
    [
        # The fix the remediation asks for: the password comes from a command, through stdin.
        "aws ecr get-login-password --region us-east-1 | docker login -u AWS --password-stdin "
        "111122223333.dkr.ecr.us-east-1.amazonaws.com\n",
        'docker login -u admin -p "$REGISTRY_PASSWORD" registry.example.com\n',
        "docker login -u admin -p $(cat /run/secrets/registry) registry.example.com\n",
        'echo "$REGISTRY_PASSWORD" | docker login -u admin --password-stdin registry.example.com\n',
        # `-p` of other commands is a port, a parent directory or a publish spec; `mysql -p db` prompts.
        "mkdir -p /var/lib/app && docker run -d -p 8080:80 nginx && ssh -p 2222 admin@10.0.0.5 true\n",
        "mysql -uadmin -p app < /opt/schema.sql\n",
        # sshpass reading its password from a file; `-p` after its options is the ssh command's port.
        "sshpass -f /run/secrets/ssh ssh -p 2222 admin@10.0.0.5 true\n",
    ],
    ids=[
        "ecr-stdin",
        "variable",
        "command",
        "variable-to-stdin",
        "other-commands",
        "mysql-prompt",
        "sshpass-file",
    ],
)
def test_pass_login_commands_without_a_literal_password(command: str):
    assert run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(command)).passed


def test_fail_netrc_entry_with_a_password():
    netrc = f"cat > /root/.netrc <<'EOF'\nmachine api.wandb.ai\n  login user\n  password {NETRC_TOKEN}\nEOF\n"
    outcome = run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(netrc))
    assert outcome.violations == [f"{WHERE} containing a password in a .netrc entry at line 7; {REQUIRED}"]
    assert_no_made_up_secret_in(outcome.violations)


def test_fail_one_line_netrc_entry_with_a_password():
    netrc = f"echo 'machine api.wandb.ai login user password {NETRC_TOKEN}' > /root/.netrc\n"
    outcome = run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(netrc))
    assert outcome.violations == [f"{WHERE} containing a password in a .netrc entry at line 4; {REQUIRED}"]


def test_fail_ini_credentials_file_with_spaces_around_the_equals_sign():
    ini = (
        f"cat > /root/.aws/credentials <<'EOF'\n[default]\naws_secret_access_key = {SECRET_ACCESS_KEY}\nEOF\n"
    )
    outcome = run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(ini))
    assert outcome.violations == [
        f"{WHERE} containing a literal value under a secret-named key at line 6; {REQUIRED}"
    ]
    assert_no_made_up_secret_in(outcome.violations)


def test_fail_cloud_config_file_content_with_an_api_key():
    cloud_config = (
        f"#cloud-config\nwrite_files:\n- path: /etc/app/config.yaml\n  content: |\n    api_key: {API_KEY}\n"
    )
    outcome = run_resource(
        user_data_secrets,
        LAUNCH_TEMPLATE,
        changed(COMPLIANT_LAUNCH_TEMPLATE, "userData", encoded(cloud_config)),
    )
    assert outcome.violations == [
        f"{WHERE} containing a literal value under a secret-named key at line 5; {REQUIRED}"
    ]
    assert_no_made_up_secret_in(outcome.violations)


def test_fail_yaml_block_scalar_holding_a_token():
    yaml = f"cat > /etc/app/auth.yaml <<'EOF'\nauth:\n  token: |\n    {API_KEY}\nEOF\n"
    outcome = run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(yaml))
    assert outcome.violations == [
        f"{WHERE} containing a literal value under a secret-named key at line 6; {REQUIRED}"
    ]


def test_fail_json_config_with_a_token():
    config = f'echo \'{{"endpoint": "https://api.example.com", "token": "{API_KEY}"}}\' > /etc/app.json\n'
    outcome = run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(config))
    assert outcome.violations == [
        f"{WHERE} containing a literal value under a secret-named key at line 4; {REQUIRED}"
    ]
    assert_no_made_up_secret_in(outcome.violations)


def test_fail_pretty_printed_json_with_a_client_secret():
    config = f'cat > /etc/app.json <<\'EOF\'\n{{\n  "client_secret": "{API_KEY}"\n}}\nEOF\n'
    outcome = run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(config))
    assert outcome.violations == [
        f"{WHERE} containing a literal value under a secret-named key at line 6; {REQUIRED}"
    ]


def test_fail_password_key_in_a_config_file_is_reported_once():
    # `password: ...` is the shell scanner's password assignment; the config-file reading adds nothing.
    config = f"cat > /etc/app.yaml <<'EOF'\ndb:\n  password: {REGISTRY_PASSWORD}\nEOF\n"
    outcome = run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(config))
    assert outcome.violations == [f"{WHERE} containing a password assignment at line 6; {REQUIRED}"]


@pytest.mark.parametrize(
    "config",
    [
        "api_key:\n",
        "api_key: ''\n",
        '{"token": ""}\n',
        "token: null\n",
        "api_key: ${API_KEY}\n",
        "aws_secret_access_key = $AWS_SECRET_ACCESS_KEY\n",
        '{"token": "${HF_TOKEN}"}\n',
        "api_key: <your-api-key>\n",
        "api_key: {{ ds.meta_data.api_key }}\n",
        "api_key: /run/secrets/api-key\n",
        "client_secret: ~/.config/app/secret\n",
        "token_file: /var/run/secrets/eks.amazonaws.com/serviceaccount/token\n",
        "token_url: https://auth.example.com/oauth/token\n",
        "credential_process = /usr/local/bin/fetch-creds --profile app\n",
        "credential_source = Ec2InstanceMetadata\n",
        'pad_token: "[PAD]"\nmax_token: 4096\neos_token: "</s>"\n',
        "secretName: hf-token\nsecrets: [hf-token]\n",
        "machine api.wandb.ai\n  login user\n  password $WANDB_API_KEY\n",
    ],
)
def test_pass_non_secret_values_under_secret_named_keys(config: str):
    script = f"cat > /etc/app/config <<EOF\n{config}EOF\n"
    assert run_resource(user_data_secrets, LAUNCH_TEMPLATE, with_script(script)).passed
