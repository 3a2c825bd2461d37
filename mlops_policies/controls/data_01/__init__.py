"""DATA-01: The tenant network has no open door to the internet."""
