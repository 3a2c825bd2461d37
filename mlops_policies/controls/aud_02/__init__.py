"""AUD-02: Audit logs are append-only."""
