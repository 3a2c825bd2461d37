"""DATA-09: Notebooks and ML studios stay inside the tenant network."""
