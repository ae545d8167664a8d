#!/usr/bin/python3
"""The article's tornado server: GET /<name> answers "Hello, <name>".

Differences from the article, all for running it safely in tests and CI:
it listens on 127.0.0.1 only, on a free port chosen by the kernel (port 0)
instead of 8080, prints "listening on http://127.0.0.1:PORT" when ready (the
line poolbench-server prints too), stops on SIGTERM/SIGINT, and stops by
itself after --max-seconds so a forgotten server cannot outlive a run.
"""
import argparse
import asyncio
import signal

import tornado.httpserver
import tornado.netutil
import tornado.web


class MainHandler(tornado.web.RequestHandler):  # pylint: disable=W0223
    """ simple welcome """

    def get(self, name):
        """ handle get request """
        self.write(f'Hello, {name}')


def make_app():
    return tornado.web.Application([(r"/(.*)", MainHandler)])


async def serve(max_seconds):
    sockets = tornado.netutil.bind_sockets(0, address="127.0.0.1")
    server = tornado.httpserver.HTTPServer(make_app())
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    print(f"listening on http://127.0.0.1:{port}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), timeout=max_seconds)
    except asyncio.TimeoutError:
        pass
    server.stop()
    await server.close_all_connections()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-seconds", type=float, default=300,
                        help="stop after this long even without a signal (default 300)")
    args = parser.parse_args()
    asyncio.run(serve(args.max_seconds))


if __name__ == "__main__":
    main()
