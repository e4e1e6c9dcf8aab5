"""Reading ML Metadata, and what is shown from it: `python -m pipeline inspect`, the HTML report.

`store` is the one reader of a metadata store; the run summary, `inspect`, the report and the
benchmarks all read through it. The pipeline's configuration (`pipeline.configs`) says where
a pipeline's store and outputs live.
"""
