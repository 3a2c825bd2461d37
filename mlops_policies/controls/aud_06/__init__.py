"""AUD-06: Object-level access to data is recorded."""
