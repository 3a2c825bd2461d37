"""GPU-02: GPU sharing is a hard partition or none."""
