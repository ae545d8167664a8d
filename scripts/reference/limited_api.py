"""The article's case for a bounded async pool, in its own language.

"Should you be using an external api with limits this could help": a server
that admits LIMIT requests at a time and answers the excess 503 with
Retry-After (poolbench-server --max-in-flight LIMIT --over-limit reject).
Two clients fetch the same batch from it, like for like with poolbench's
limited-API experiment:
- the article's AsyncPoolExecutor with max_workers = LIMIT (bounded), and
- a plain asyncio.gather over the whole batch (unbounded: what people write
  first).
Both retry a 429 or 503 as poolbench does: exponential backoff with full
jitter (sleep a uniform random time up to min(CAP, BASE * 2**attempt)),
never less than the Retry-After the server asked for, at most RETRIES
retries; a request that exhausts them fails the round. Every body is checked.

tornado's AsyncHTTPClient admits only 10 fetches at a time by default
(max_clients=10) and queues the rest inside the client; that would bound the
"unbounded" client silently, so it is raised to the batch size here.
"""
import asyncio
import random

from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from async_pool_executor import AsyncPoolExecutor

RETRIES = 8           # retries a request may take (poolbench --retries defaults to 10; 8 never ran out here)
BASE_S = 0.001        # first backoff ceiling
CAP_S = 0.1           # largest backoff ceiling
REJECTED = (429, 503)


class Outcomes:
    """ what a round saw: requests, attempts and rejections """

    def __init__(self):
        self.requests = 0
        self.attempts = 0
        self.rejected = 0


def retry_after_seconds(error):
    value = error.response.headers.get("Retry-After", "") if error.response else ""
    try:
        return max(0.0, float(value))
    except ValueError:
        return 0.0


async def fetch_with_retries(client, url, outcomes, rng):
    """ one request: a 429/503 is retried, any other failure raises """
    outcomes.requests += 1
    for attempt in range(RETRIES + 1):
        outcomes.attempts += 1
        try:
            response = await client.fetch(url)
            return response.body
        except HTTPClientError as error:
            if error.code not in REJECTED:
                raise
            outcomes.rejected += 1
            if attempt == RETRIES:
                raise RuntimeError(f"{url}: still {error.code} after {RETRIES} retries") from error
            ceiling = min(CAP_S, BASE_S * 2 ** attempt)
            await asyncio.sleep(max(retry_after_seconds(error), rng.uniform(0, ceiling)))
    raise AssertionError("unreachable")


def client_for(batch):
    """ a client that never queues below `batch` fetches (see the module doc) """
    AsyncHTTPClient.configure(None, max_clients=batch)
    return AsyncHTTPClient()


async def bounded_round(base_url, names, delay_ms, workers, outcomes, rng):
    """ the article's pool: at most `workers` requests in flight """
    client = client_for(len(names))
    async with AsyncPoolExecutor(max_workers=workers) as pool:
        futures = pool.map(lambda n: fetch_with_retries(
            client, f"{base_url}/{n}?delay_ms={delay_ms}", outcomes, rng), names)
    return [f.result() for f in futures]


async def unbounded_round(base_url, names, delay_ms, outcomes, rng):
    """ asyncio.gather over the whole batch: every request in flight at once """
    client = client_for(len(names))
    return await asyncio.gather(*(fetch_with_retries(
        client, f"{base_url}/{n}?delay_ms={delay_ms}", outcomes, rng) for n in names))


def expected(names):
    return [f"Hello, {n}".encode() for n in names]


def make_rng(seed):
    return random.Random(seed)
