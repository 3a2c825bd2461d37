"""GPU-01: GPU nodes are tainted and labelled for their tenant."""
