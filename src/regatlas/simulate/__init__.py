"""Populations of AI systems, scenarios and simulation over them (vectorized engines in compile/)."""
