"""Formatters: pure functions from result objects to strings."""
