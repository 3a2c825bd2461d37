"""TEN-02: No reference to another tenant's resources."""
