"""The article's request functions and pool helpers, as written.

Two changes only: the server address is BASE_URL (set by conftest.py to the
server it started on 127.0.0.1 and a free port) instead of
http://localhost:8080, and the async `request` is named `async_request` so
both can live in one module. The pools are module globals, as in the
article, created by the tests' fixtures outside the timed region.
"""
import asyncio

from tornado.httpclient import AsyncHTTPClient, HTTPClient

from async_pool_executor import AsyncPoolExecutor

BASE_URL = None  # "http://127.0.0.1:PORT", set before any pool is created
NAMES = ['romeo', 'julliet', 'mercucio']  # sic, as in the article
EXPECTED = [b'Hello, romeo', b'Hello, julliet', b'Hello, mercucio']

thread_pool = None   # the article: pool = ThreadPoolExecutor()
process_pool = None  # the article: pool = ProcessPoolExecutor()


def request(item):
    """ request resource """
    uri = f'{BASE_URL}/{item}'
    http_client = HTTPClient()
    response = http_client.fetch(uri)
    return response.body


def do_threads(data):
    """ use a thread pool executor """
    futures = thread_pool.map(request, data)
    result = list(futures)
    return result


def do_process(data):
    """ use a process pool executor """
    futures = process_pool.map(request, data)
    result = list(futures)
    return result


async def async_request(item):
    """ request resource """
    uri = f'{BASE_URL}/{item}'
    http_client = AsyncHTTPClient()
    response = await http_client.fetch(uri)
    return response.body


async def do_tasks(data):
    """ can we make requests """
    async with AsyncPoolExecutor() as pool:
        futures = pool.map(async_request, data)
    result = [item.result() for item in futures]
    return result


def run_tasks(data):
    """ test_a's round: a new event loop and a new pool every time """
    return asyncio.run(do_tasks(data))
