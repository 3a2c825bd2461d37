"""sec-04-config-map-secrets: one compliant ConfigMap, one change per failing case."""

from __future__ import annotations

import base64

from mlops_policies.controls.sec_04.config_map_secrets import config_map_secrets
from tests.policies.harness import UNKNOWN, changed, run_resource

CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
PLACEHOLDER = "Not-A-Real-Pass-42"
FIX = "required: a Kubernetes Secret (secretKeyRef, envFrom.secretRef or a secret volume), never a ConfigMap"
COMPLIANT = {
    "metadata": {"name": "trainer-config", "namespace": "acme-train", "labels": {"tenant": "acme"}},
    "data": {
        "MAX_NEW_TOKENS": "512",
        "HF_TOKEN_PATH": "/var/run/secrets/hf/token",
        "app.properties": "db.url=jdbc:postgresql://db/app\ndb.password.file=/run/secrets/db\n",
    },
}


def test_pass_config_map_with_settings_and_secret_paths():
    assert run_resource(config_map_secrets, CONFIG_MAP, COMPLIANT).passed


def test_fail_config_map_key_naming_a_secret_with_a_literal():
    outcome = run_resource(
        config_map_secrets, CONFIG_MAP, changed(COMPLIANT, "data.DB_PASSWORD", PLACEHOLDER)
    )
    assert outcome.violations == [
        f"{CONFIG_MAP} 'subject' data 'DB_PASSWORD' has a literal value under a name that suggests a secret "
        f"(PASSWORD); {FIX}"
    ]
    assert PLACEHOLDER not in outcome.violations[0]


def test_fail_config_file_in_a_config_map_with_a_connection_string_password():
    conf = f"[db]\ndsn = Server=db;Uid=app;Pwd={PLACEHOLDER};\n"
    outcome = run_resource(config_map_secrets, CONFIG_MAP, changed(COMPLIANT, "data.db-ini", conf))
    assert outcome.violations == [
        f"{CONFIG_MAP} 'subject' data 'db-ini' has a literal value that looks like a password assignment; "
        f"{FIX}"
    ]


def test_fail_binary_data_hiding_an_access_key_id():
    blob = base64.b64encode(b"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n").decode()
    outcome = run_resource(config_map_secrets, CONFIG_MAP, {**COMPLIANT, "binaryData": {"creds": blob}})
    assert outcome.violations == [
        f"{CONFIG_MAP} 'subject' binaryData 'creds' has a literal value that looks like an AWS access key id "
        f"(base64-decoded); {FIX}"
    ]


def test_undecided_config_map_with_an_unknown_value_under_a_secret_name():
    outcome = run_resource(config_map_secrets, CONFIG_MAP, changed(COMPLIANT, "data.API_KEY", UNKNOWN))
    assert outcome.violations == [] and outcome.undecided is not None


def test_fail_config_map_inside_an_inline_manifest_of_a_config_group():
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  API_TOKEN: Not-A-Real-Token-42\n"
    )
    outcome = run_resource(config_map_secrets, "kubernetes:yaml/v2:ConfigGroup", {"yaml": [manifest]})
    assert outcome.violations == [
        "kubernetes:yaml/v2:ConfigGroup 'subject' yaml[0] document 1 (ConfigMap 'app') data 'API_TOKEN' has "
        f"a literal value under a name that suggests a secret (TOKEN); {FIX}"
    ]
