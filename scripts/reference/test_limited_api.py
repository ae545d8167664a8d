"""The limited-API benchmarks (limited_api.py): the article's AsyncPoolExecutor
bounded at the server's limit against asyncio.gather over the whole batch.

They run only when REFERENCE_LIMITED_URL names a server that admits
REFERENCE_LIMIT requests at a time and rejects the rest (scripts/reference/run
--limited-url URL --limit N; scripts/bench starts poolbench-server
--max-in-flight N --over-limit reject for it). extra_info carries the workload
as poolbench's limited-API experiment names it, plus server_limit, so these
rows pair with that experiment's rows and never with an unlimited server's.
What each round saw (requests, attempts, rejections) goes into
extra_info["outcomes"], an object, so poolbench-report does not group by it.
"""
import asyncio
import os

import pytest

from limited_api import Outcomes, bounded_round, expected, make_rng, unbounded_round

URL = os.environ.get("REFERENCE_LIMITED_URL", "").rstrip("/")
LIMIT = int(os.environ.get("REFERENCE_LIMIT", "16"))
BATCH = 256
DELAY_MS = 10
NAMES = [f"user-{i}" for i in range(1, BATCH + 1)]

pytestmark = pytest.mark.skipif(not URL, reason="no limited server (REFERENCE_LIMITED_URL)")


def describe(benchmark, strategy, workers, outcomes):
    benchmark.extra_info.update(strategy=strategy, mode="warm", batch=BATCH, workers=workers,
                                delay_ms=DELAY_MS, keepalive=0, server_limit=LIMIT,
                                setup="limited api")
    calls = max(1, outcomes.requests // BATCH)
    benchmark.extra_info["outcomes"] = {
        "rounds": calls,
        "requests": outcomes.requests,
        "attempts": outcomes.attempts,
        "rejected": outcomes.rejected,
        "rejected_per_round": outcomes.rejected / calls,
        "attempts_per_request": outcomes.attempts / max(1, outcomes.requests),
    }


def run_checked(benchmark, one_round):
    """ benchmark(one_round) with every round's bodies checked inside the timing """
    loop = asyncio.new_event_loop()

    def run():
        result = loop.run_until_complete(one_round())
        assert result == expected(NAMES)
        return result

    try:
        benchmark(run)
    finally:
        loop.close()


def test_limited_async_pool(benchmark):
    """ the article's pool with max_workers = the server's limit: nothing rejected """
    outcomes, rng = Outcomes(), make_rng(1)
    run_checked(benchmark, lambda: bounded_round(URL, NAMES, DELAY_MS, LIMIT, outcomes, rng))
    describe(benchmark, "async_pool", LIMIT, outcomes)


def test_limited_unbounded(benchmark):
    """ asyncio.gather over the batch: the server rejects all but LIMIT, retries pay """
    outcomes, rng = Outcomes(), make_rng(1)
    run_checked(benchmark, lambda: unbounded_round(URL, NAMES, DELAY_MS, outcomes, rng))
    describe(benchmark, "unbounded", BATCH, outcomes)
