"""TEN-03: Tenant namespaces enforce the restricted pod security standard."""
