"""mlops_policies.credentials: credential shapes, references by who expands them, bounded decoding.

Every value below is a documented example or a made-up placeholder, never a real credential.
"""

from __future__ import annotations

import base64
import gzip
import time
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_policies import credentials
from mlops_policies.credentials import Expansion

ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"  # AWS's documented example key id
PLACEHOLDER = "Not-A-Real-Pass-42"


def kinds(text: str, expansion: Expansion = Expansion.SHELL) -> list[str]:
    return [f.kind for f in credentials.scan_text(text, expansion)]


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


# ---------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"redis://:{PLACEHOLDER}@cache:6379/0", "a password in a URL"),
        (f"Server=db;Database=app;Uid=sa;Pwd={PLACEHOLDER};", "a password assignment"),
        (f"Host=db;Username=app;Password={PLACEHOLDER};", "a password assignment"),
        (
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=bm90LWEta2V5==;EndpointSuffix=x",
            "a key in a connection string",
        ),
        (
            "Endpoint=sb://ns.example/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5=",
            "a key in a connection string",
        ),
        (f"export HF_TOKEN={PLACEHOLDER}", "a literal assigned to a secret-named variable"),
        (f"declare -x API_KEY='{PLACEHOLDER}'", "a literal assigned to a secret-named variable"),
        (f"cd /srv && CLIENT_SECRET={PLACEHOLDER} ./start", "a literal assigned to a secret-named variable"),
        (f"python serve.py --api-key {PLACEHOLDER}", "a literal assigned to a secret-named variable"),
        (f"huggingface-cli login --token={PLACEHOLDER}", "a literal assigned to a secret-named variable"),
    ],
)
def test_credential_shapes_in_other_spellings_are_recognised(text, kind):
    assert kinds(text) == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl: 60')",
        'export DB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id db --query SecretString)"',
        "export HF_TOKEN=${HF_TOKEN:-}",
        "API_KEY_FILE=/run/secrets/api-key",
        "python train.py --max-new-tokens 512 --token-file /var/run/token",
        "docker login --password-stdin",
        "redis://cache:6379/0",
        "export TOKENIZERS_PARALLELISM=false",
        "aws configure set region us-east-1",
    ],
)
def test_references_and_look_alikes_in_shell_text_are_not_credentials(text):
    assert kinds(text) == []


def test_a_dollar_literal_is_a_reference_only_where_something_expands_it():
    assert credentials.is_reference("$(DB_PASSWORD)", Expansion.KUBERNETES)
    assert not credentials.is_reference("$ecretValue1", Expansion.KUBERNETES)
    assert not credentials.is_reference("$(DB_PASSWORD)", Expansion.NONE)
    assert not credentials.is_reference("$ecretValue1", Expansion.NONE)
    assert credentials.is_reference("$DB_PASSWORD", Expansion.SHELL)
    assert credentials.is_reference("/run/secrets/db", Expansion.NONE)


def test_env_findings_treat_dollar_literals_by_the_runtime_reading_them():
    phrase = "has a literal value under a name that suggests a secret (PASSWORD)"
    assert credentials.literal_env_findings("DB_PASSWORD", "$ecret-Value-1", Expansion.KUBERNETES) == phrase
    assert credentials.literal_env_findings("DB_PASSWORD", "$ecret-Value-1", Expansion.NONE) == phrase
    assert credentials.literal_env_findings("DB_PASSWORD", "$(OTHER)", Expansion.KUBERNETES) is None


# ---------------------------------------------------------------- decoding


def mime(*parts: MIMEText | MIMEApplication) -> str:
    message = MIMEMultipart()
    for part in parts:
        message.attach(part)
    return message.as_string()


def test_decoding_reads_mime_parts_base64_inside_them_and_gzip():
    cloud_config = (
        "#cloud-config\nwrite_files:\n- path: /etc/app.env\n  encoding: gz+b64\n  content: "
        + b64(gzip.compress(f"AWS_ACCESS_KEY_ID={ACCESS_KEY_ID}\n".encode()))
        + "\n"
    )
    script = MIMEApplication(gzip.compress(f"#!/bin/sh\nexport HF_TOKEN={PLACEHOLDER}\n".encode()), "gzip")
    result = credentials.scan(b64(mime(MIMEText(cloud_config, "cloud-config"), script)))
    assert [(f.kind, f.how, f.line) for f in result.findings] == [
        ("an AWS access key id", "base64-decoded, MIME part 1, base64-decoded (line 5), gunzipped", 1),
        ("a literal assigned to a secret-named variable", "base64-decoded, MIME part 2, gunzipped", 2),
    ]
    assert result.incomplete is None


def test_decoding_reads_wrapped_base64_blocks():
    wrapped = b64(f"#!/bin/sh\nexport AWS_ACCESS_KEY_ID={ACCESS_KEY_ID}\n" + "# padding line\n" * 6)
    lines = "\n".join("    " + wrapped[i : i + 40] for i in range(0, len(wrapped), 40))
    result = credentials.scan("#cloud-config\nwrite_files:\n- encoding: b64\n  content: |\n" + lines + "\n")
    assert [(f.kind, f.how) for f in result.findings] == [
        ("an AWS access key id", "base64-decoded (lines from 5)")
    ]


def test_decoding_beyond_the_depth_bound_fails_closed():
    value = ACCESS_KEY_ID
    for _ in range(credentials.MAX_DEPTH + 1):
        value = b64(value)
    result = credentials.scan(value)
    assert result.findings == []
    assert result.incomplete == f"it is nested more than {credentials.MAX_DEPTH} encodings deep"


def test_decoding_a_gzip_bomb_stops_at_the_size_bound_and_fails_closed():
    bomb = b64(gzip.compress(b"A" * (credentials.MAX_DECODED_BYTES + 1)))
    assert credentials.scan(bomb).incomplete == "it decodes to more than 4 MiB"


def test_binary_that_is_not_text_ends_decoding_without_failing():
    result = credentials.scan(b64(bytes(range(256)) * 4))
    assert result.findings == [] and result.incomplete is None


def test_an_eks_bootstrap_with_a_base64_ca_certificate_has_no_findings():
    ca = b64("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n")
    script = f"#!/bin/bash\n/etc/eks/bootstrap.sh acme-cluster --b64-cluster-ca {ca} --apiserver-endpoint x\n"
    assert credentials.scan(b64(script)) == credentials.Scan([], None)


# ---------------------------------------------------------------- generated encodings

ENCODINGS = st.sampled_from(["base64", "gzip+base64", "mime", "mime-base64", "write_files"])
SECRETS = st.sampled_from(
    [
        (f"AWS_ACCESS_KEY_ID={ACCESS_KEY_ID}", "an AWS access key id"),
        (f"export HF_TOKEN={PLACEHOLDER}", "a literal assigned to a secret-named variable"),
        (f"DATABASE_URL=postgres://:{PLACEHOLDER}@db/app", "a password in a URL"),
        (f"CONN='Server=db;Pwd={PLACEHOLDER};'", "a password assignment"),
    ]
)


def wrap(text: str, encoding: str) -> tuple[str, int]:
    """`text` inside one more encoding, and how many decoding layers that adds."""
    if encoding == "base64":
        return b64(text), 1
    if encoding == "gzip+base64":
        return b64(gzip.compress(text.encode())), 2
    if encoding == "mime":
        return mime(MIMEText("#!/bin/sh\necho start\n", "x-shellscript"), MIMEText(text, "x-shellscript")), 1
    if encoding == "mime-base64":
        part = MIMEApplication(text.encode(), "octet-stream")  # base64 transfer encoding
        return mime(part), 1
    content = b64(text)
    return f"#cloud-config\nwrite_files:\n- path: /etc/x\n  encoding: b64\n  content: {content}\n", 1


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(secret=SECRETS, encodings=st.lists(ENCODINGS, max_size=6))
def test_a_secret_in_any_nesting_of_encodings_is_caught_or_fails_closed(secret, encodings):
    text, kind = secret
    depth = 0
    for encoding in encodings:
        text, layers = wrap(text, encoding)
        depth += layers
    result = credentials.scan(text)
    if depth <= credentials.MAX_DEPTH:
        assert kind in [f.kind for f in result.findings]
        assert result.incomplete is None
    else:
        assert kind in [f.kind for f in result.findings] or result.incomplete is not None
    assert all(PLACEHOLDER not in f.how and ACCESS_KEY_ID not in f.how for f in result.findings)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(encodings=st.lists(ENCODINGS, max_size=5))
def test_clean_scripts_in_any_nesting_of_encodings_stay_clean_within_the_bound(encodings):
    text = "#!/bin/bash\nset -euo pipefail\nTOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token)\n"
    depth = 0
    for encoding in encodings:
        text, layers = wrap(text, encoding)
        depth += layers
    result = credentials.scan(text)
    assert result.findings == []
    assert (result.incomplete is None) is (depth <= credentials.MAX_DEPTH)


@pytest.mark.parametrize(
    "text",
    [
        "python -c \"import os; TOKEN=os.environ['HF_TOKEN']\"",
        "python -c 'import getpass; password_in=getpass.getpass()'",
        "SECRET=${SECRET_FROM_SSM}",
    ],
)
def test_code_and_expansions_on_a_command_line_are_not_literals(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ASIAY34FZKBOKMUTVV7A", "an AWS access key id"),
        ("-----BEGIN EC PRIVATE KEY-----", "a private key block"),
        ("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'", "a bearer token"),
        ("ghp_" + "a1" * 18, "a GitHub token"),
        ("github_pat_" + "A1b2_" * 9, "a GitHub token"),
        ("xoxb-1234567890-abcdef", "a Slack token"),
        ("sk-ant-api03-" + "x9" * 12, "an API key (sk-...)"),
        ("mysql://root:topsecret@db/app", "a password in a URL"),
        ("--password=topsecret", "a password assignment"),
    ],
)
def test_credential_patterns_recognise_common_formats(text, kind):
    assert [f.kind for f in credentials.scan_text(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "postgres://app:${DB_PASSWORD}@db/app",
        "password_file=/run/secrets/db",
        "lock_passwd: true",
        "docker login --password-stdin",
        "token_type: bearer",
        "sk-learn-style-identifier-without-digits",
        "risk-assessment-20240101-report-generator",
        "AKIAIOSFODNN7EXAMPLEEXTRA",
    ],
)
def test_credential_patterns_ignore_look_alikes(text):
    assert credentials.scan_text(text) == []


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("DB_PASSWORD", "PASSWORD"),
        ("clientSecret", "SECRET"),
        ("HF_TOKEN", "TOKEN"),
        ("myAPIKey", "API_KEY"),
        ("AWS_SECRET_ACCESS_KEY", "SECRET"),
        ("S3_ACCESS_KEY", "ACCESS_KEY"),
        ("SSH_PRIVATE_KEY", "PRIVATE_KEY"),
        ("GOOGLE_APPLICATION_CREDENTIALS", "CREDENTIAL"),
        ("MAX_NEW_TOKENS", None),
        ("TOKENIZERS_PARALLELISM", None),
        ("DB_SECRET_ARN", None),
        ("TOKEN_URL", None),
        ("AWS_ACCESS_KEY_ID", None),
    ],
)
def test_secret_suggesting_names(name, word):
    assert credentials.secret_name(name) == word


def test_scanning_large_pathological_user_data_stays_linear():
    # Quadratic regexes take minutes on these; linear ones take well under a second.
    started = time.monotonic()
    for text in ("a" * 100_000, "a:" * 50_000, "password" * 12_000, "AbC" * 30_000):
        credentials.scan_text(text)
        credentials.user_data_texts(text)
        credentials.secret_name(text)
    assert time.monotonic() - started < 10


def test_an_assignment_is_reported_only_where_no_recognised_shape_covers_it():
    # The GitHub token's span covers its assignment (not reported again); the plain value on the next
    # line is covered by nothing before or after it, and is.
    text = f"export DB_PASSWORD=hunter2\nexport GH_TOKEN=ghp_{'a' * 36}\nexport API_TOKEN=plainvalue1\n"
    assert [(f.kind, f.line) for f in credentials.scan_text(text)] == [
        ("a password assignment", 1),
        ("a GitHub token", 2),
        ("a literal assigned to a secret-named variable", 3),
    ]
    assert [(f.kind, f.line) for f in credentials.scan_text(f"export GH_TOKEN=ghp_{'a' * 36}\n")] == [
        ("a GitHub token", 1)
    ]


def test_each_kind_keeps_the_line_of_its_first_occurrence_in_a_long_text():
    text = "x\n" * 3 + "password: x\n" + "password: y\n" * 20_000
    assert [(f.kind, f.line) for f in credentials.scan_text(text)] == [("a password assignment", 4)]
