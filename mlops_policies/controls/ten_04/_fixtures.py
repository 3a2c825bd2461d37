"""Fixtures shared by the tests of several TEN-04 rules."""

from __future__ import annotations

POLICY = "aws:iam/policy:Policy"
READ = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}
