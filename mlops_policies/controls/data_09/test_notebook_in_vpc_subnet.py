"""Cases for `data-09-notebook-in-vpc-subnet`.

One compliant baseline, one change per failing case.
"""

from __future__ import annotations

from mlops_policies.controls.data_09._fixtures import COMPLIANT_NOTEBOOK
from mlops_policies.controls.data_09.notebook_in_vpc_subnet import notebook_in_vpc_subnet
from tests.policies.data_leakage_fixtures import NOTEBOOK
from tests.policies.harness import DELETE, changed, run_resource


def test_fail_notebook_outside_a_subnet():
    props = changed(COMPLIANT_NOTEBOOK, "subnetId", DELETE)
    assert run_resource(notebook_in_vpc_subnet, NOTEBOOK, props).violations == [
        "aws:sagemaker/notebookInstance:NotebookInstance 'subject' has subnetId missing; required: a "
        "subnet of the tenant VPC"
    ]


def test_pass_notebook_inside_the_vpc_without_root_access():
    assert run_resource(notebook_in_vpc_subnet, NOTEBOOK, COMPLIANT_NOTEBOOK).passed
