"""SEC-02: Secrets live in the store, encrypted with the tenant key."""
