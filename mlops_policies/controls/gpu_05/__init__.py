"""GPU-05: GPU nodes do not leak node credentials or disks."""
