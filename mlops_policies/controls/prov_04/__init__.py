"""PROV-04: Container registries are encrypted with the tenant key."""
