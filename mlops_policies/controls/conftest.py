"""pytest setup for the rule cases kept beside the rules: the same per-test stack config as tests/."""

from tests.conftest import _isolated_stack_config  # noqa: F401  (an autouse fixture: importing registers it)
