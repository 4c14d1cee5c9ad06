"""Tests of the corpus sweep tools (tools/corpus)."""
