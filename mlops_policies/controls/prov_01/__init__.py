"""PROV-01: Model-registry buckets are immutable."""
