"""Cases for `data-09-notebook-no-root-access`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_09._fixtures import COMPLIANT_NOTEBOOK
from mlops_policies.controls.data_09.notebook_no_root_access import notebook_no_root_access
from tests.policies.data_leakage_fixtures import NOTEBOOK
from tests.policies.harness import changed, run_resource


def test_fail_notebook_with_root_access():
    props = changed(COMPLIANT_NOTEBOOK, "rootAccess", "Enabled")
    assert run_resource(notebook_no_root_access, NOTEBOOK, props).violations == [
        "aws:sagemaker/notebookInstance:NotebookInstance 'subject' has rootAccess 'Enabled'; required: "
        "'Disabled'"
    ]


def test_pass_notebook_inside_the_vpc_without_root_access():
    assert run_resource(notebook_no_root_access, NOTEBOOK, COMPLIANT_NOTEBOOK).passed
