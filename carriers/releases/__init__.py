"""Versioned releases: numbered, immutable zips of the public CSVs as a Frictionless Data Package."""
