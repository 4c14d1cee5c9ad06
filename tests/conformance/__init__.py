"""Conformance of generated SDKs with Stoplight Prism (`make conformance SPEC=...`)."""
