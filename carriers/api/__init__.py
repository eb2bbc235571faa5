"""The JSON API (/api/v1/): every public list and record, filtered by the same FilterSets as the pages and CSVs."""
