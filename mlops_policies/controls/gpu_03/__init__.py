"""GPU-03: Regulated tenants get whole GPUs."""
