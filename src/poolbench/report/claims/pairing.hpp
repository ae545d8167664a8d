#pragma once
// Like for like, or no factor: a C++/Python factor is computed only between
// files measured in one session - the same host and boot (the kernel's
// boot_id), start times within an hour - and against the same server
// software. Anything else mixes machines, days or servers into the factor
// (a Python file from another day on tornado against poolbench on
// poolbench-server has given 26-96x where the like-for-like cross matrix
// said 4.8-14.7x).

#include <poolbench/report/input/result.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace poolbench::report {

// What a file says of where and when it was measured; "" when it does not.
struct run_identity {
  std::string
      host;  // poolbench: "host" (or Google Benchmark's "host_name"); pytest: "host" or "node"
  std::string boot_id;  // /proc/sys/kernel/random/boot_id
  std::string server;   // the server's software, "poolbench-server", "TornadoServer"
  std::optional<std::int64_t> start_s;  // seconds since the epoch, UTC
  // Whether idle CPUs polled (cpu_idle: "poll") or halted ("os", also every
  // file from before the key): a wake-up costs 5 us or 40 us here, so a
  // delay-0 row of one is not like for like with a row of the other.
  std::string cpu_idle;
};

[[nodiscard]] run_identity identity_of(const result_file& file);

// "2026-11-27T09:24:14+00:00", "2026-11-27T09:34:23.579707" (no offset: UTC,
// as pytest-benchmark writes it) -> seconds since the epoch; nullopt if not
// such a date.
[[nodiscard]] std::optional<std::int64_t> parse_iso8601(std::string_view text);

// Why `cpp` and `python` must not be paired ("different boots", "started
// 49.2 h apart", "different servers: poolbench-server vs TornadoServer",
// several joined by "; "), or nullopt when they may.
[[nodiscard]] std::optional<std::string> not_comparable_reason(
    const result_file& cpp, const result_file& python,
    std::chrono::seconds max_apart = std::chrono::hours(1));

}  // namespace poolbench::report
