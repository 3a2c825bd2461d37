"""AUD-04: Network flows are recorded."""
