"""Runtime support of the generated SDK: transport, retries, encoding, errors.

This package does not depend on the spec; it is copied verbatim into every SDK.
"""
