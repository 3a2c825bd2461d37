"""TEN-04: No administrator in a tenant stack."""
