"""SEC-08: Key policies name only the tenant's principals."""
