"""The daily runner: generate or ingest, build and test with dbt, gate, publish, report."""
