"""DATA-07: Tenant namespaces deny traffic by default."""
