"""Fact vocabulary, profiles and their JSON Schema."""
