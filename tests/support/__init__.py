"""Helpers shared by the test suite (throw-away services, fixtures)."""
