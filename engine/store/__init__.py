"""Persistence: SQLAlchemy 2 tables, the one transaction scope, and instance state with revision checks."""
