"""SEC-03: Secrets rotate."""
