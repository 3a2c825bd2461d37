"""TEN-01: Everything is labelled with its tenant."""
