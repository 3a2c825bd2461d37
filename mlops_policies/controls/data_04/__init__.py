"""DATA-04: Data at rest, intermediate artifacts included, uses the tenant key."""
