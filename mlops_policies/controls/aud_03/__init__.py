"""AUD-03: Log groups are encrypted and retained."""
