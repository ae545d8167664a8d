"""Shared pieces of scripts/compare-client, scripts/compare-server and
scripts/performance: CPU-list checks and taskset, starting and stopping
poolbench-server, parsing ab and wrk, targets marked met/missed, machine
facts, and atomic Markdown files. A library, not a command.
"""
import os
import re
import resource
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CPU_LIST = re.compile(r"^\d+(-\d+)?(,\d+(-\d+)?)*$")


def fail(prog, message):
    """One clear line on stderr and a non-zero exit: how bad input and failed runs end."""
    sys.exit(f"{prog}: {message}")


def check_cpu_list(prog, flag, text):
    """Returns `text` if it is a CPU list this machine has (e.g. 1, 0-1, 0,1), else exits."""
    if text is None:
        return None
    if not CPU_LIST.match(text):
        fail(prog, f"{flag} {text!r}: expected a CPU list such as 0, 1 or 0-1")
    cpus = os.cpu_count() or 1
    for part in text.split(","):
        bounds = [int(b) for b in part.split("-")]
        if bounds[-1] >= cpus or bounds[0] > bounds[-1]:
            fail(prog, f"{flag} {text!r}: this machine has CPUs 0-{cpus - 1}")
    return text


def pinned(cmd, cpus):
    """`cmd` run under `taskset -c cpus` when cpus is given."""
    return ["taskset", "-c", cpus, *cmd] if cpus else list(cmd)


def pinning_note(server_cpus, client_cpus):
    return (f"server CPUs: {server_cpus or 'not pinned'}, "
            f"load generator CPUs: {client_cpus or 'not pinned'}")


def build_binary(prog, *parts):
    """A binary under BUILD_DIR (default build/release), or exit telling how to build it."""
    build = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build", "release"))
    path = os.path.join(build, *parts)
    if not os.access(path, os.X_OK):
        fail(prog, f"{path} not found; run scripts/build release --target {parts[-1]}")
    return path


def start_poolbench_server(prog, binary, cpus):
    """Starts `poolbench-server --threads 1` on 127.0.0.1, port 0; returns (proc, port)."""
    proc = subprocess.Popen(
        pinned([binary, "--address", "127.0.0.1", "--port", "0", "--threads", "1"], cpus),
        stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
    if not match:
        stop(proc)
        fail(prog, f"poolbench-server did not start: {line!r}")
    return proc, int(match.group(1))


def stop(proc):
    """SIGTERM, then SIGKILL after 10 s: every wait is bounded."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_ab(prog, url, concurrency, requests, cpus):
    """`ab -c N -n M` (new connection per request, no -k). Returns a dict with
    requests/s, completed requests, and the mean time per request in µs (ab's
    first 'Time per request', which is each request's own latency)."""
    cmd = pinned(["ab", "-q", "-c", str(concurrency), "-n", str(requests), url], cpus)
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    out = run.stdout
    if run.returncode != 0 or "Requests per second" not in out:
        fail(prog, f"ab failed ({run.returncode}): {(run.stderr or out).strip()[-300:]}")
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    if failed or non2xx:
        fail(prog, f"ab saw {failed} failed requests"
             f"{', ' + non2xx.group(1) + ' non-2xx' if non2xx else ''} against {url}")
    return {
        "rps": float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"Complete requests:\s+(\d+)", out).group(1)),
        "latency_us": float(re.search(r"Time per request:\s+([\d.]+) \[ms\] \(mean\)",
                                      out).group(1)) * 1000,
        "command": " ".join(cmd),
    }


def run_wrk(prog, url, duration, connections, cpus, latency=False, usage=None):
    """`wrk -t1 -cN -dDs` (keep-alive). Returns (stdout, command line). With a
    dict `usage`, sets usage["cpu_seconds"] to wrk's own user + system CPU: the
    RUSAGE_CHILDREN delta around its run, which holds only wrk (taskset execs
    it), since nothing else is reaped meanwhile."""
    cmd = pinned(["wrk", "-t1", f"-c{connections}", f"-d{duration}s"]
                 + (["--latency"] if latency else []) + [url], cpus)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if usage is not None:
        usage["cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = run.stdout
    if run.returncode != 0 or "Requests/sec" not in out:
        fail(prog, f"wrk failed ({run.returncode}): {(run.stderr or out).strip()[-300:]}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    if errors:
        fail(prog, f"wrk saw errors against {url}: {errors.group(0)}")
    return out, " ".join(cmd)


def wrk_rps(out):
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def wrk_requests(out):
    """The requests wrk completed ("N requests in 5.00s")."""
    return int(re.search(r"(\d+) requests in ", out).group(1))


def cpu_seconds(pid):
    """User + system CPU seconds a process has used so far (from /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def verdict(value, relation, target):
    """'met' or 'missed' for `value relation target`, relation one of >= and <=."""
    ok = value >= target if relation == ">=" else value <= target
    return "met" if ok else "missed"


def target_cell(value, relation, target):
    return f"{relation} {target} ({verdict(value, relation, target)})"


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_model():
    with open("/proc/cpuinfo") as f:
        match = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
    return match.group(1).strip() if match else "unknown"


def write_atomically(path, text):
    """Writes `text` to a temp file beside `path`, then renames it over `path`:
    readers see the old file or the whole new one, never half of it."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".md")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def emit(lines, markdown_path):
    """Prints the report's Markdown lines, and writes them to markdown_path if given."""
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if markdown_path:
        write_atomically(markdown_path, text)
