// poolbench-server: answers GET /<name> with "Hello, <name>", optionally after
// ?delay_ms=N, so that clients do I/O-bound work. See `--help`.

#include "hello_server.hpp"

#include <poolbench/cli/program.hpp>
#include <poolbench/delay/delay_distribution.hpp>

#include <boost/system/system_error.hpp>

#include <CLI/CLI.hpp>

#if defined(BOOST_ASIO_DISABLE_EPOLL)
#include <poolbench/uring/io_uring_probe.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#endif

#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>

namespace {

const poolbench::cli::program program{
    "poolbench-server",
    "Exit codes: 0 stopped by SIGINT or SIGTERM; 2 bad usage, or the address cannot be listened "
    "on (a port in use, an address not of this host)."};

poolbench::server::server_options parse_options(CLI::App& app, int argc, char** argv) {
  poolbench::server::server_options o;
  std::size_t idle_s = 30, header_s = 10;
  std::size_t grace_ms = static_cast<std::size_t>(o.shutdown_grace.count());
  app.add_option("--address", o.address, "Address to bind (loopback unless you mean otherwise)")
      ->capture_default_str();
  app.add_option("--port", o.port, "TCP port; 0 picks a free one (see the 'listening on' line)")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "Threads serving connections (see --io-model)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  std::string model = "shared";
  app.add_option("--io-model", model,
                 "shared: one io_context run by every thread; reuseport: one io_context and "
                 "acceptor per thread, all on the one port (SO_REUSEPORT), the kernel spreading "
                 "connections over them")
      ->capture_default_str()
      ->check(CLI::IsMember({"shared", "reuseport"}));
  app.add_option("--max-delay-ms", o.limits.max_delay_ms,
                 "Largest ?delay_ms accepted, and ?delay_us up to the same time (answers wait on "
                 "a timer, never a sleeping thread)")
      ->capture_default_str();
  app.add_option("--max-connections", o.max_connections,
                 "Open connections (ones closing after their last answer do not count); beyond "
                 "it a new connection gets 503 and is closed")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--idle-timeout", idle_s, "Seconds a keep-alive connection may sit idle")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--header-timeout", header_s,
                 "Seconds from a request's first byte to its end (cuts off slowloris)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--shutdown-grace-ms", grace_ms,
                 "On SIGINT/SIGTERM, how long to wait for delayed answers in flight")
      ->capture_default_str();
  auto& b = o.backend;
  auto* max_in_flight =
      app.add_option("--max-in-flight", b.max_in_flight,
                     "Backend model, off by default: requests admitted and not yet answered "
                     "(their delay included) at most N at a time; beyond it see --over-limit")
          ->check(CLI::PositiveNumber);
  std::string policy = "reject";
  app.add_option("--over-limit", policy,
                 "reject: a request beyond --max-in-flight gets 503 with Retry-After (an API "
                 "with limits); queue: it waits for a slot, first come first served, on a "
                 "timer, never a blocked thread (a database with N connections)")
      ->capture_default_str()
      ->check(CLI::IsMember({"reject", "queue"}))
      ->needs(max_in_flight);
  auto* rate = app.add_option("--rate-limit", b.rate_limit,
                              "Backend model, off by default: a token bucket refilled at R "
                              "requests per second (decimals allowed); a request finding it "
                              "empty gets 429 with Retry-After")
                   ->check(CLI::Range(0.001, 1e9));
  app.add_option("--rate-burst", b.rate_burst,
                 "Tokens the bucket holds (it starts full): requests that may arrive at once; "
                 "default max(1, R/10), a tenth of a second's worth")
      ->check(CLI::PositiveNumber)
      ->needs(rate);
  std::uint64_t overload_us = 0;
  app.add_option("--overload-us", overload_us,
                 "Backend model, off by default: each request waits F microseconds longer for "
                 "every other request in flight when it is admitted (Nighthawk's concurrency "
                 "based linear delay, an overloaded server)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10'000'000}));
  app.add_option("--retry-after", b.retry_after_s,
                 "Seconds in Retry-After on 503 and 429. Default: the server's estimate in whole "
                 "seconds rounded down: 0 for 503 (when a request in flight finishes cannot be "
                 "known), the wait for the next token for 429 (0 at rates of 1/s and above). 0 "
                 "says the refusal is transient and leaves the wait to the client's backoff")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{86'400}));
  app.add_option("--stats-path", b.stats_path,
                 "Off by default: GET PATH answers the backend counters as JSON (admitted, "
                 "rejected_503, rejected_429, in_flight, peak_in_flight, queued, "
                 "queue_wait_us_total, queue_wait_us_max), itself not counted nor limited; "
                 "GET PATH?reset=1 answers them, then zeroes the totals and the peak")
      ->check([](const std::string& path) {
        return !path.empty() && path.front() == '/' &&
                       path.find_first_of("?# \t\r\n") == std::string::npos
                   ? std::string()
                   : std::string("must start with '/' and hold no '?', '#' or space");
      });
  auto* distribution =
      app.add_option("--delay-distribution", b.delay_distribution,
                     "Off by default: the delay of a request that names none (for wrk, curl): "
                     "5ms | 250us | uniform:1ms..9ms | exp:5ms (mean) | "
                     "lognormal:median=5ms,p99=100ms | a weighted list 1ms:95,100ms:5. The n-th "
                     "such request admitted gets draw n of the stream --seed picks, cut to "
                     "--max-delay-ms. A named delay (?delay_ms=0 too) is kept")
          ->check([](const std::string& spec) {
            try {
              (void)poolbench::delay::delay_distribution::parse(spec);
              return std::string();
            } catch (const std::invalid_argument& e) {
              return std::string(e.what());
            }
          });
  app.add_option("--seed", b.seed, "The stream --delay-distribution draws from")
      ->capture_default_str()
      ->needs(distribution);
  poolbench::cli::set_up(app, program);
  app.parse(argc, argv);
  b.policy = policy == "queue" ? poolbench::server::over_limit::queue
                               : poolbench::server::over_limit::reject;
  b.overload_per_request = std::chrono::microseconds(overload_us);
  o.model = model == "reuseport" ? poolbench::server::io_model::reuseport
                                 : poolbench::server::io_model::shared;
  o.idle_timeout = std::chrono::seconds(idle_s);
  o.header_timeout = std::chrono::seconds(header_s);
  o.shutdown_grace = std::chrono::milliseconds(grace_ms);
  return o;
}

std::string url_host(const boost::asio::ip::address& address) {
  return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

}  // namespace

#if defined(BOOST_ASIO_DISABLE_EPOLL)
// The io_uring build (server/CMakeLists.txt): where the kernel refuses
// io_uring (io_uring_disabled, a container's seccomp profile), it hands the
// run to poolbench-server, the epoll build beside it, with the same
// arguments, and says so in one line with the reason poolbench's floor gives
// (the same probe, poolbench::uring); without one there it exits 2.
void fall_back_to_epoll_if_io_uring_is_refused(char** argv) {
  const auto why_not = poolbench::uring::io_uring_refusal();
  if (!why_not)
    return;
  std::error_code self_error;
  const auto epoll_build =
      std::filesystem::read_symlink("/proc/self/exe", self_error).parent_path() /
      "poolbench-server";
  std::cerr << "poolbench-server-uring: io_uring is not available here (" << *why_not << "): ";
  if (self_error || ::access(epoll_build.c_str(), X_OK) != 0) {
    std::cerr << "no poolbench-server (epoll) beside this program to fall back to\n";
    std::exit(2);
  }
  std::cerr << "falling back to " << epoll_build.string() << " (epoll)" << std::endl;
  ::execv(epoll_build.c_str(), argv);
  std::cerr << "poolbench-server-uring: cannot run " << epoll_build.string() << ": "
            << std::strerror(errno) << "\n";
  std::exit(2);
}

// Asio 1.81's io_uring backend reaps completions in a way ThreadSanitizer
// reports as races, and it once crashed there, when several threads run one
// io_context (asio issues 1430 and 401; server/CMakeLists.txt): the io_uring
// build refuses that configuration instead of serving on it.
bool refuses_shared_threads(const poolbench::server::server_options& o) {
  if (o.threads <= 1 || o.model != poolbench::server::io_model::shared)
    return false;
  std::cerr << "poolbench-server-uring: --threads " << o.threads
            << " with --io-model shared is not offered on io_uring: Asio 1.81's io_uring "
               "backend is not safe with several threads on one io_context; use --io-model "
               "reuseport (an io_context per thread) or poolbench-server (epoll)\n";
  return true;
}
#endif

int main(int argc, char** argv) {
  CLI::App app{
      "poolbench-server: an HTTP/1.1 server answering GET /<name> with 'Hello, <name>'.\n"
      "GET /<name>?delay_ms=N or ?delay_us=N answers after that delay (a slow backend).\n"
      "The backend models (limits, overload, counters) are all off by default.\n"
      "Prints 'listening on http://ADDR:PORT' on stdout when ready; SIGINT/SIGTERM stop it."};
#if defined(BOOST_ASIO_DISABLE_EPOLL)
  fall_back_to_epoll_if_io_uring_is_refused(argv);
#endif
  poolbench::server::server_options options;
  try {
    options = parse_options(app, argc, argv);
  } catch (const CLI::ParseError& e) {
    return poolbench::cli::handle_parse_error(app, e, program);
  }
#if defined(BOOST_ASIO_DISABLE_EPOLL)
  if (refuses_shared_threads(options))
    return 2;
#endif
  try {
    poolbench::server::hello_server server(options);
    const auto endpoint = server.local_endpoint();
    server.run(/*handle_signals=*/true, [&] {
      std::cout << "listening on http://" << url_host(endpoint.address()) << ":" << endpoint.port()
                << std::endl;
    });
    return 0;
  } catch (const boost::system::system_error& e) {
    // The code's message alone: what() appends Boost's source location.
    std::cerr << "poolbench-server: cannot listen on " << options.address << ":" << options.port
              << ": " << e.code().message() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "poolbench-server: cannot listen on " << options.address << ":" << options.port
              << ": " << e.what() << "\n";
    return 2;
  }
}
