"""SEC-04: No plaintext secrets in environment variables or user data."""
