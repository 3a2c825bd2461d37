"""PROV-05: The tenant has a signing profile for its artifacts."""
