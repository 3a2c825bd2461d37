"""The RE2 translations read the same word lists as the CrossGuard heuristics they translate."""

from __future__ import annotations

from landingzone.admission import patterns
from mlops_policies import credentials


def test_pass_qualifiers_and_flags_are_the_credentials_modules_own() -> None:
    assert set(patterns.QUALIFIERS) == credentials._QUALIFIERS
    assert set(patterns.FLAGS) == credentials._FLAGS - {""}
    assert patterns.MAX_NAME == credentials._MAX_NAME
