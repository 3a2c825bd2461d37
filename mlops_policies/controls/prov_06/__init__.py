"""PROV-06: Workloads run images pinned by digest."""
