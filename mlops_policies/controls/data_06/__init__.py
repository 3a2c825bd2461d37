"""DATA-06: AWS APIs are reached through private endpoints."""
