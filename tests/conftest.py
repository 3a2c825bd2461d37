import pulumi
import pytest


@pytest.fixture(autouse=True)
def _isolated_stack_config():
    """Rules read the stack's tenant from Pulumi config; keep one test's tenant out of the next."""
    config = pulumi.runtime.config.CONFIG.get()
    saved = dict(config)
    yield
    config.clear()
    config.update(saved)
