"""Suite-wide test settings (tests/ and the rule cases beside each rule in mlops_policies/controls/)."""

from hypothesis import settings

# Hypothesis times each example (200 ms by default): on a shared 2-core CI machine that fails correct
# code. Speed is measured in bench/, never asserted by a test.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
