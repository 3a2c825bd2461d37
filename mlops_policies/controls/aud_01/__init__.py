"""AUD-01: Every tenant has a tamper-evident trail."""
