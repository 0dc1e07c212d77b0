"""Curated lists and small helpers of the demo data set (no models, no database access)."""
