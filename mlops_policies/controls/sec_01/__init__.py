"""SEC-01: KMS keys rotate and cannot be deleted in a hurry."""
