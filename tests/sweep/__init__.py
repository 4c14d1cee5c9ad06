"""Sweep: generate an SDK for every spec of the shared corpus and prove it works."""
