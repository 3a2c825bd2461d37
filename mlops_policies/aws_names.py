"""Reading AWS resource names out of URLs and image references by their structure, not by word lists.

- ECR image references: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repository>[:tag|@digest]`
  and the dual-stack `<account>.dkr-ecr[-fips].<region>.on.aws/...`; the repository's first path segment
  is its owner in the landing zone's `<tenant>/<name>` naming.
- S3 URLs: `s3://<bucket>/...`, virtual-hosted `https://<bucket>.s3[.-]<...>.amazonaws.com[.cn]/...`
  (regional, legacy `s3-<region>`, `s3-fips`, `dualstack`, `s3-accelerate`, `s3-website`, and interface
  endpoints `<bucket>.vpce-<id>.s3.<region>.vpce.amazonaws.com`), and path-style
  `https://s3[...].amazonaws.com/<bucket>/...`. Access points (`s3-accesspoint`, `s3-object-lambda`) are
  read as names too: `<name>-<account>` follows the same naming.

Each function finds every reference inside a longer text (an env value, a command line, a JSON document).
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

_AWS_DOMAINS = ("amazonaws.com", "amazonaws.com.cn")
# Candidate references: a host with at least one dot followed by a path; parsed structurally below.
_HOST_AND_PATH = re.compile(
    r"(?<![A-Za-z0-9.-])(?:[a-z][a-z0-9+.-]*://)?([a-z0-9][a-z0-9.-]*\.[a-z]{2,})(/[^\s\"'<>,;]*)?", re.I
)
_ACCOUNT = re.compile(r"[0-9]{12}")


class EcrImage(NamedTuple):
    account: str
    region: str
    repository: str
    fips: bool


def _labels(host: str) -> list[str]:
    return host.lower().rstrip(".").split(".")


def ecr_host(host: str) -> tuple[str, str, bool] | None:
    """(account, region, fips) of a private ECR registry host, or None."""
    labels = _labels(host)
    if len(labels) < 4 or not _ACCOUNT.fullmatch(labels[0]):
        return None
    service, region, domain = labels[1], labels[2], ".".join(labels[3:])
    if service == "dkr" and len(labels) >= 5 and labels[2] in ("ecr", "ecr-fips"):
        region, domain = labels[3], ".".join(labels[4:])
        return (labels[0], region, labels[2] == "ecr-fips") if domain in _AWS_DOMAINS else None
    if service in ("dkr-ecr", "dkr-ecr-fips") and domain == "on.aws":
        return labels[0], region, service.endswith("fips")
    return None


def ecr_images(text: str) -> list[EcrImage]:
    """Every private ECR image reference in a text."""
    found = []
    for match in _HOST_AND_PATH.finditer(text):
        registry = ecr_host(match.group(1))
        path = (match.group(2) or "").lstrip("/")
        if registry is None or not path:
            continue
        repository = re.split(r"[@:]", path, maxsplit=1)[0]
        if repository:
            found.append(EcrImage(registry[0], registry[1], repository, registry[2]))
    return found


def _is_s3_label(label: str) -> bool:
    return label == "s3" or label.startswith("s3-")


def s3_bucket(url: str) -> str | None:
    """The bucket (or access point) an S3 URL addresses, or None when the URL is not an S3 URL."""
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
    except ValueError:
        return None  # not a URL at all (an unbalanced `[` reads as a broken IPv6 host), so no bucket
    host = (parts.hostname or "").lower()
    if parts.scheme == "s3":
        return host or None
    if not host.endswith(_AWS_DOMAINS):
        return None
    labels = _labels(host)
    index = next((i for i, label in enumerate(labels) if _is_s3_label(label)), None)
    if index is None:
        return None
    if index == 0:  # path style: the bucket is the first path segment
        bucket = parts.path.lstrip("/").split("/", 1)[0]
        return bucket or None
    before = [label for label in labels[:index] if not label.startswith("vpce-")]
    if labels[index] in ("s3-accesspoint", "s3-object-lambda") or not before:
        return ".".join(before) or None
    return ".".join(before)


def s3_buckets(text: str) -> list[str]:
    """Every bucket an S3 URL (s3://, virtual-hosted or path-style) in a text addresses."""
    found = []
    for match in re.finditer(r"s3://[^\s\"'<>,;/]+", text):
        bucket = s3_bucket(match.group())
        if bucket:
            found.append(bucket)
    for match in _HOST_AND_PATH.finditer(text):
        if ".s3" not in match.group(1).lower() and not match.group(1).lower().startswith("s3"):
            continue
        bucket = s3_bucket(match.group(1) + (match.group(2) or ""))
        if bucket:
            found.append(bucket)
    return found
