"""GPU-04: GPU use is bounded by quota."""
