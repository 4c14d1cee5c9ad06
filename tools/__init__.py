"""Developer tools that are not part of the generator (corpus sweep, findings)."""
