"""TEN-05: Environments are separated."""
