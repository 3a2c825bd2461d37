"""AUD-05: Cluster control planes are logged."""
