"""Seeded generators of labelled test data, for benchmarks and tests (same seed, same data)."""
