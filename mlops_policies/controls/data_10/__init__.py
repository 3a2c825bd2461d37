"""DATA-10: No network path to another tenant."""
