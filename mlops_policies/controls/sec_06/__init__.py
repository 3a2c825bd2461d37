"""SEC-06: Workload identity is scoped to one service account."""
