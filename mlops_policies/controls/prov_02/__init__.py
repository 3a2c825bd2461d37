"""PROV-02: Model-registry retention cannot be shortened by anyone."""
