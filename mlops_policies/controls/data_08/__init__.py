"""DATA-08: Serving endpoints and clusters are not public."""
