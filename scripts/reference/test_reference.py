"""The article's tests and benchmarks, plus the fair variants it lacks.

As written (the article's unfair setup): test_t and test_p time only the
map over a pool built once outside the timing (warm), test_a times a new
event loop and a new AsyncPoolExecutor every round (cold).
Fair variants: test_a_warm (loop and pool built once), test_t_cold and
test_p_cold (pool built and shut down every round), and test_serial (no
pool: one request after another), so every pool is seen both ways.
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


def describe(benchmark, strategy, mode, workers, setup):
    """ parameters poolbench-report groups and charts by """
    benchmark.extra_info.update(strategy=strategy, mode=mode, batch=3, workers=workers,
                                delay_ms=0, setup=setup)


# --- the article's functional tests ------------------------------------------

def test_server_is_on_loopback_only(server_url):
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


# --- the article's benchmarks, as written --------------------------------------

def test_a(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ test our async task """
    describe(benchmark, "async_pool", "cold", THREAD_WORKERS, "as written")

    def run():
        return asyncio.run(do_tasks(data))

    result = benchmark(run)
    assert result == [b'Hello, romeo', b'Hello, julliet', b'Hello, mercucio']


def test_t(data, benchmark, thread_pool):  # pylint: disable=unused-argument
    """ test our thread task """
    describe(benchmark, "thread_pool", "warm", THREAD_WORKERS, "as written")
    result = benchmark(partial(do_threads, data))
    assert result == [b'Hello, romeo', b'Hello, julliet', b'Hello, mercucio']


def test_p(data, benchmark, process_pool):  # pylint: disable=unused-argument
    """ test our process task """
    describe(benchmark, "process_pool", "warm", CPUS, "as written")
    result = benchmark(partial(do_process, data))
    assert result == [b'Hello, romeo', b'Hello, julliet', b'Hello, mercucio']


# --- fair variants -------------------------------------------------------------

def test_serial(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ no pool: the baseline """
    describe(benchmark, "serial", "warm", 1, "fair variant")
    assert benchmark(lambda: [article.request(item) for item in data]) == EXPECTED


def test_a_warm(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ the async pool as the article timed the others: loop and pool built once """
    describe(benchmark, "async_pool", "warm", THREAD_WORKERS, "fair variant")
    loop = asyncio.new_event_loop()
    pool = AsyncPoolExecutor()

    async def one_round():
        futures = pool.map(article.async_request, data)
        return [await f for f in futures]

    async def start():
        pool.start()

    try:
        loop.run_until_complete(start())
        result = benchmark(lambda: loop.run_until_complete(one_round()))
        assert result == EXPECTED
    finally:
        loop.run_until_complete(pool.shutdown())
        loop.close()


def test_t_cold(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ the thread pool as the article timed the async one: built every round """
    describe(benchmark, "thread_pool", "cold", THREAD_WORKERS, "fair variant")

    def run():
        with ThreadPoolExecutor() as pool:
            return list(pool.map(article.request, data))

    assert benchmark(run) == EXPECTED


def test_p_cold(data, benchmark, server_url):  # pylint: disable=unused-argument
    """ the process pool built (fork) and shut down every round """
    describe(benchmark, "process_pool", "cold", CPUS, "fair variant")

    def run():
        with ProcessPoolExecutor() as pool:
            return list(pool.map(article.request, data))

    assert benchmark(run) == EXPECTED
