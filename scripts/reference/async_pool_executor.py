"""The article's AsyncPoolExecutor, completed so it runs.

The article shows submit, map and the async context manager; the rest (the
queue, the worker tasks, start and shutdown) is filled in here the simplest
way that keeps its point: a fixed number of tasks drain one queue, so at most
`max_workers` calls are in flight at once.
"""
import asyncio
import os
from concurrent.futures import Executor


class NotRunningException(Exception):
    """ submit or map on a pool that is not started, or shut down """


class AsyncPoolExecutor(Executor):
    """ a pool of asyncio tasks with the Executor interface """

    def __init__(self, max_workers=None):
        # The same default as ThreadPoolExecutor, so the pools compare fairly.
        self.max_workers = max_workers or min(32, (os.cpu_count() or 1) + 4)
        self.queue = None
        self.tasks = []
        self.running = False

    def start(self):
        """ create the queue and the worker tasks in the running loop """
        self.queue = asyncio.Queue()
        self.tasks = [asyncio.create_task(self._work()) for _ in range(self.max_workers)]
        self.running = True

    async def _work(self):
        while True:
            result, fn, args, kwargs = await self.queue.get()
            try:
                if not result.cancelled():
                    value = await fn(*args, **kwargs)
                    if not result.cancelled():
                        result.set_result(value)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # pylint: disable=broad-except
                if not result.cancelled():
                    result.set_exception(error)
            finally:
                self.queue.task_done()

    def submit(self, fn, *args, **kwargs):  # pylint: disable=arguments-differ
        """ part of the executor api """
        if self.running is False:
            raise NotRunningException()
        loop = asyncio.get_running_loop()
        result = loop.create_future()
        self.queue.put_nowait((result, fn, args, kwargs))
        return result

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        """ part of the executor api """
        if self.running is False:
            raise NotRunningException()
        results = []
        args = zip(*iterables)
        for line in args:
            results.append(self.submit(fn, *line))
        return results

    async def shutdown(self, wait=True, *, cancel_futures=False):  # pylint: disable=W0221
        """ stop taking work; with wait, finish what was queued first """
        self.running = False
        if cancel_futures:
            while not self.queue.empty():
                result, *_ = self.queue.get_nowait()
                result.cancel()
                self.queue.task_done()
        if wait:
            await self.queue.join()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks = []

    async def __aenter__(self):
        """ This makes us an async contextmanager """
        self.start()
        return self

    async def __aexit__(self, *args):
        """ This is called when the with is up """
        await self.shutdown()
