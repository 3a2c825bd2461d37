"""DATA-05: Intermediate artifacts expire."""
