"""DATA-02: Security groups deny by default."""
