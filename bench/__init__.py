"""Benchmarks: speed and resource figures, written as files under bench/results/."""
