"""The article's tests and benchmarks, plus like-for-like ones.

The article's originals (extra_info setup="article original"), kept as
written: test_t and test_p time only the map over a default-sized pool
built once outside the timing (warm), test_a times a new event loop and a
new default-sized AsyncPoolExecutor every round (cold). Their pool sizes
(min(32, cpus + 4) threads or tasks, cpus processes) match no C++ case.

Like-for-like (setup="like-for-like"): the C++ runner's article workload,
`<strategy>/<warm|cold>/batch:3/workers:3/delay_ms:0` and
`serial/warm/batch:3/workers:1/delay_ms:0`. Every pool is run warm (built
once, outside the timed rounds) and cold (built and shut down inside every
round) with max_workers=3; serial is one request after another. extra_info
carries strategy/mode/batch/workers/delay_ms/keepalive, so poolbench-report
pairs each with its C++ row. New connection per request (keepalive=0) on
both sides, as in the article. Warm-up and the sample size are set by
scripts/reference/run (see its header).
Every round checks the three names and bodies of the article.
"""
import asyncio
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from urllib.parse import urlparse

import pytest

import article
from article import EXPECTED, do_process, do_tasks, do_threads
from async_pool_executor import AsyncPoolExecutor, NotRunningException

CPUS = os.cpu_count() or 1
THREAD_WORKERS = min(32, CPUS + 4)  # ThreadPoolExecutor's and our AsyncPoolExecutor's default


WORKERS = 3  # the C++ runner's pool size for the article's workload


def checked(benchmark, run):
    """ benchmark(run), checking every call's bodies inside it: pytest-benchmark
    returns only one extra, untimed call's result, so asserting on that alone
    would let a wrong body in any timed round pass. The count of checked calls
    goes into extra_info["checked"] (an object, so poolbench-report does not
    take it for a grouping parameter) for tests/report to compare with the
    rounds x iterations that were timed. """
    calls = 0

    def checked_run():
        nonlocal calls
        result = run()
        calls += 1
        assert result == EXPECTED, f"call {calls}: {result!r}"
        return result

    result = benchmark(checked_run)
    benchmark.extra_info["checked"] = {"calls": calls}
    return result


def describe(benchmark, strategy, mode, workers, setup):
    """ parameters poolbench-report groups, charts and pairs with C++ rows by """
    benchmark.extra_info.update(strategy=strategy, mode=mode, batch=3, workers=workers,
                                delay_ms=0, keepalive=0, setup=setup)


# --- the article's functional tests ------------------------------------------

def test_server_is_on_loopback_only(server_url):
    """ the server we start listens on 127.0.0.1 only (a --url server is the caller's) """
    if os.environ.get("REFERENCE_URL"):
        pytest.skip("server given by REFERENCE_URL, not started here")
    assert urlparse(server_url).hostname == "127.0.0.1"


def test_threads(data, thread_pool):  # pylint: disable=unused-argument
    """ test threads """
    assert do_threads(data) == [
        b'Hello, romeo',
        b'Hello, julliet',
        b'Hello, mercucio',
    ]


def test_process(data, process_pool):  # pylint: disable=unused-argument
    """ test processes """
    assert do_process(data) == EXPECTED


def test_tasks(data, server_url):  # pylint: disable=unused-argument
    """ run test in asyncio """
    result = asyncio.run(do_tasks(data))
    assert result == [b'Hello, romeo', b'Hello, julliet', b'Hello, mercucio']


def test_pool_refuses_work_after_shutdown():
    async def scenario():
        pool = AsyncPoolExecutor(max_workers=2)
        pool.start()
        await pool.shutdown()
        with pytest.raises(NotRunningException):
            pool.submit(asyncio.sleep, 0)
    asyncio.run(scenario())


def test_pool_bounds_concurrency():
    async def scenario():
        active = peak = 0

        async def task(i):
            nonlocal active, peak
            active += 1
            peak = max(peak, active)
            await asyncio.sleep(0.001)
            active -= 1
            return i
        async with AsyncPoolExecutor(max_workers=3) as pool:
            futures = pool.map(task, range(20))
        return peak, [f.result() for f in futures]
    peak, results = asyncio.run(scenario())
    assert peak == 3
    assert results == list(range(20))


# --- the article's benchmarks, as written (originals) --------------------------

def test_a(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ test our async task (the article's original: cold, default pool size) """
    describe(benchmark, "async_pool", "cold", THREAD_WORKERS, "article original")

    def run():
        return asyncio.run(do_tasks(data))

    result = checked(benchmark, run)
    assert result == [b'Hello, romeo', b'Hello, julliet', b'Hello, mercucio']


def test_t(data, benchmark, thread_pool):  # pylint: disable=unused-argument
    """ test our thread task (the article's original: warm, default pool size) """
    describe(benchmark, "thread_pool", "warm", THREAD_WORKERS, "article original")
    result = checked(benchmark, partial(do_threads, data))
    assert result == [b'Hello, romeo', b'Hello, julliet', b'Hello, mercucio']


def test_p(data, benchmark, process_pool):  # pylint: disable=unused-argument
    """ test our process task (the article's original: warm, default pool size) """
    describe(benchmark, "process_pool", "warm", CPUS, "article original")
    result = checked(benchmark, partial(do_process, data))
    assert result == [b'Hello, romeo', b'Hello, julliet', b'Hello, mercucio']


# --- like-for-like with the C++ runner: 3 workers, warm and cold ---------------

def like_for_like(benchmark, strategy, mode, workers=WORKERS):
    describe(benchmark, strategy, mode, workers, "like-for-like")


def test_serial(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ no pool: the baseline (C++: serial/warm/batch:3/workers:1/delay_ms:0) """
    like_for_like(benchmark, "serial", "warm", workers=1)
    assert checked(benchmark, lambda: [article.request(item) for item in data]) == EXPECTED


def executor_warm(benchmark, data, strategy, executor_class):
    """ a concurrent.futures pool of 3 built once, outside the timing """
    like_for_like(benchmark, strategy, "warm")
    with executor_class(max_workers=WORKERS) as pool:
        assert checked(benchmark, lambda: list(pool.map(article.request, data))) == EXPECTED


def executor_cold(benchmark, data, strategy, executor_class):
    """ a concurrent.futures pool of 3 built and shut down inside every round """
    like_for_like(benchmark, strategy, "cold")

    def run():
        with executor_class(max_workers=WORKERS) as pool:
            return list(pool.map(article.request, data))

    assert checked(benchmark, run) == EXPECTED


def test_thread_pool_warm(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ 3 threads, started once outside the timing """
    executor_warm(benchmark, data, "thread_pool", ThreadPoolExecutor)


def test_thread_pool_cold(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ 3 threads, started and joined inside every round """
    executor_cold(benchmark, data, "thread_pool", ThreadPoolExecutor)


def test_process_pool_warm(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ 3 processes, forked once outside the timing """
    executor_warm(benchmark, data, "process_pool", ProcessPoolExecutor)


def test_process_pool_cold(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ 3 processes, forked and shut down inside every round """
    executor_cold(benchmark, data, "process_pool", ProcessPoolExecutor)


def test_async_pool_warm(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ 3 tasks; the event loop and the pool built once outside the timing """
    like_for_like(benchmark, "async_pool", "warm")
    loop = asyncio.new_event_loop()
    pool = AsyncPoolExecutor(max_workers=WORKERS)

    async def one_round():
        futures = pool.map(article.async_request, data)
        return [await f for f in futures]

    async def start():
        pool.start()

    try:
        loop.run_until_complete(start())
        assert checked(benchmark, lambda: loop.run_until_complete(one_round())) == EXPECTED
    finally:
        loop.run_until_complete(pool.shutdown())
        loop.close()


def test_async_pool_cold(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ 3 tasks; a new event loop and pool every round (asyncio.run), as test_a
    and as the C++ cold async pool (a fresh io_context per round) """
    like_for_like(benchmark, "async_pool", "cold")

    async def one_round():
        async with AsyncPoolExecutor(max_workers=WORKERS) as pool:
            futures = pool.map(article.async_request, data)
        return [f.result() for f in futures]

    assert checked(benchmark, lambda: asyncio.run(one_round())) == EXPECTED
