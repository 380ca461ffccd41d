"""The data-centric loop: where a model's errors are, and how far generated data is from real."""
