"""The condition language: a documented subset of CEL, parsed into an IR the project owns."""
