"""Hostile OpenAPI documents: strategies, output checks and the property tests."""
