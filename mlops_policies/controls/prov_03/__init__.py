"""PROV-03: Container registries keep tags immutable and scan on push."""
