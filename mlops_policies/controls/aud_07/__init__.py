"""AUD-07: Audit evidence leaves the tenant's reach."""
