"""SEC-07: Service account tokens are not mounted by default."""
