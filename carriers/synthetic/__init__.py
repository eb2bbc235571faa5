"""Fill an empty database with synthetic data for load and performance tests.

`--scale world` gives every country and a research database of realistic size (50,000
equipment facts); `--scale stress` twenty times as many facts. Distributions are skewed as
real ones are: a few countries hold most carriers, a few vendors most equipment, a few
sources most citations. The same seed always gives the same rows (only the load timestamps
differ). Rows are written in bounded chunks, by COPY on PostgreSQL (indexes and foreign keys
rebuilt once at the end) and bulk_create elsewhere, with ids assigned here and no history.
"""
