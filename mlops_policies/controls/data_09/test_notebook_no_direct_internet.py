"""Cases for `data-09-notebook-no-direct-internet`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_09._fixtures import COMPLIANT_NOTEBOOK
from mlops_policies.controls.data_09.notebook_in_vpc_subnet import notebook_in_vpc_subnet
from mlops_policies.controls.data_09.notebook_no_direct_internet import notebook_no_direct_internet
from mlops_policies.controls.data_09.notebook_no_root_access import notebook_no_root_access
from tests.policies.data_leakage_fixtures import NOTEBOOK
from tests.policies.harness import DELETE, changed, run_resource


def test_pass_notebook_inside_the_vpc_in_first_preview():
    assert run_resource(notebook_no_direct_internet, NOTEBOOK, COMPLIANT_NOTEBOOK).passed
    assert run_resource(notebook_no_root_access, NOTEBOOK, COMPLIANT_NOTEBOOK).passed
    assert run_resource(notebook_in_vpc_subnet, NOTEBOOK, COMPLIANT_NOTEBOOK).passed


def test_fail_notebook_with_default_direct_internet_access():
    props = changed(COMPLIANT_NOTEBOOK, "directInternetAccess", DELETE)
    assert run_resource(notebook_no_direct_internet, NOTEBOOK, props).violations == [
        "aws:sagemaker/notebookInstance:NotebookInstance 'subject' has directInternetAccess missing; "
        "required: 'Disabled'"
    ]
