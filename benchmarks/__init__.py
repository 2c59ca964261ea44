"""Quality and speed benchmarks; each writes its own section of BENCHMARKS.md."""
