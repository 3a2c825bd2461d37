"""GPU-06: Workloads stay on their tenant's nodes and off the host."""
