"""PROV-07: No single role can train, approve and deploy."""
