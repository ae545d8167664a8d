"""Fixtures of the reference tests: the server (the article's tornado server
as a child process, or the one named by REFERENCE_URL), the article's data,
and the warm pools the article built outside the timing."""
import os
import select
import socket
import subprocess
import sys
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

import article

HERE = os.path.dirname(os.path.abspath(__file__))
START_TIMEOUT_SECONDS = 20
# The measured server's Server header, read while it runs (machine_info is
# written after the session's fixtures are gone).
SERVER_SOFTWARE = {"value": "unknown"}


def _read_server_software(url):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(url.rstrip("/") + "/probe", timeout=5) as response:
            SERVER_SOFTWARE["value"] = response.headers.get("Server", "unknown")
    except OSError as error:
        SERVER_SOFTWARE["value"] = f"unknown ({error})"


def _boot_id():
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


# Idle CPUs for the session, as poolbench --cpu-idle (src/poolbench/runner/
# cpu_idle.hpp): REFERENCE_CPU_IDLE=poll holds /dev/cpu_dma_latency at 0
# while the tests run, so an idle CPU polls instead of halting; auto does so
# when it can; os (the default, as poolbench's) leaves the idle states alone.
# The kernel drops the request when the descriptor closes, with the process.
CPU_IDLE = {"fd": None, "mode": "os", "reason": "left as they are (--cpu-idle os)"}


def pytest_configure(config):  # pylint: disable=unused-argument
    """ hold the idle CPUs as REFERENCE_CPU_IDLE asks, before any test """
    choice = os.environ.get("REFERENCE_CPU_IDLE", "os")
    if choice not in ("auto", "poll", "os"):
        raise pytest.UsageError(f"REFERENCE_CPU_IDLE: expected auto, poll or os, got '{choice}'")
    if choice == "os":
        return
    device = "/dev/cpu_dma_latency"
    fd = None
    try:
        fd = os.open(device, os.O_WRONLY | os.O_CLOEXEC)
        os.write(fd, (0).to_bytes(4, sys.byteorder, signed=True))  # a binary 32-bit bound, in us
    except OSError as error:
        reason = f"cannot {'open' if fd is None else 'write'} {device}: {error.strerror}"
        if fd is not None:
            os.close(fd)
        if choice == "poll":
            raise pytest.UsageError(f"--cpu-idle poll: {reason}") from error
        CPU_IDLE["reason"] = reason
        return
    CPU_IDLE.update(fd=fd, mode="poll", reason=f"{device} held at 0 us for the run")


def pytest_unconfigure(config):  # pylint: disable=unused-argument
    """ the request ends with the descriptor """
    if CPU_IDLE["fd"] is not None:
        os.close(CPU_IDLE["fd"])
        CPU_IDLE["fd"] = None


def pytest_benchmark_update_machine_info(config, machine_info):  # pylint: disable=unused-argument
    """ what poolbench-report pairs C++ and Python files by (docs/result-format.md):
    the host and boot this ran on, the server it measured, the idle CPUs """
    machine_info["host"] = socket.gethostname()
    machine_info["boot_id"] = _boot_id()
    machine_info["server_software"] = SERVER_SOFTWARE["value"]
    machine_info["cpu_idle"] = CPU_IDLE["mode"]
    machine_info["cpu_idle_reason"] = CPU_IDLE["reason"]


@pytest.fixture(scope="session")
def server_url():
    """ REFERENCE_URL (scripts/reference/run --url, e.g. poolbench-server), or
    the article's server on 127.0.0.1 and a free port, stopped at the end """
    given = os.environ.get("REFERENCE_URL", "")
    if given:
        article.BASE_URL = given.rstrip("/")
        _read_server_software(article.BASE_URL)
        yield article.BASE_URL
        return
    # A separate process, so the process pool never forks a running server.
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), "--max-seconds", "600"],
                            stdout=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], START_TIMEOUT_SECONDS)
        line = proc.stdout.readline() if ready else ""
        if not line.startswith("listening on http://127.0.0.1:"):
            raise RuntimeError(f"server.py did not start: {line!r}")
        article.BASE_URL = line.split()[-1]
        _read_server_software(article.BASE_URL)
        yield article.BASE_URL
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


@pytest.fixture
def data():
    """ our request objects """
    return ['romeo', 'julliet', 'mercucio']


@pytest.fixture(scope="session")
def process_pool(server_url):  # pylint: disable=redefined-outer-name,unused-argument
    """ the article's module-level ProcessPoolExecutor(), built before timing """
    article.process_pool = ProcessPoolExecutor()
    yield article.process_pool
    article.process_pool.shutdown()


@pytest.fixture(scope="session")
def thread_pool(server_url):  # pylint: disable=redefined-outer-name,unused-argument
    """ the article's module-level ThreadPoolExecutor(), built before timing """
    article.thread_pool = ThreadPoolExecutor()
    yield article.thread_pool
    article.thread_pool.shutdown()
