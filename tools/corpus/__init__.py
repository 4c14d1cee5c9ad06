"""`make corpus`: generate an SDK for every spec of the APIs-guru directory and check it.

fetch.py gets the npm package into `.corpus/`, runner.py drives long-lived worker
processes (worker.py) with per-spec time limits, checks.py holds the per-SDK checks
(operations, compile, import, mypy), report.py turns the JSONL of results into a summary.
"""
