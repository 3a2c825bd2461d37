"""Pure logic of the landing zone: tenant config model, GPU catalog, CIDR math, control catalog.

Nothing here creates cloud resources; the Pulumi components in `components/` and the policies in
`mlops_policies/` build on it.
"""
