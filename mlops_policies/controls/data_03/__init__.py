"""DATA-03: Buckets are private and TLS-only."""
