#include <poolbench/report/claims/bottleneck.hpp>

namespace poolbench::report {
namespace {

bool reaches(const std::map<std::string, double>& counters, const char* name) {
  const auto it = counters.find(name);
  return it != counters.end() && it->second >= results::busy_bound;
}

bool chain_of_wakeups(const std::map<std::string, double>& counters) {
  const auto it = counters.find("round_trips_per_request");
  return it != counters.end() && it->second <= results::wakeup_bound_round_trips;
}

}  // namespace

bottleneck bottleneck_of(const std::map<std::string, double>& counters) {
  const bool server = reaches(counters, "server_busy");
  const bool client = reaches(counters, "client_busy");
  if (server && client)
    return bottleneck::both;
  if (server)
    return bottleneck::server;
  if (client)
    return bottleneck::client;
  return chain_of_wakeups(counters) ? bottleneck::wakeup : bottleneck::none;
}

bottleneck bottleneck_of(const benchmark_result& result) {
  return bottleneck_of(result.counters);
}

std::string_view bottleneck_mark(bottleneck b) {
  switch (b) {
    case bottleneck::server:
      return "server-bound";
    case bottleneck::client:
      return "client-bound";
    case bottleneck::both:
      return "server+client-bound";  // short: it follows names in tables
    case bottleneck::wakeup:
      return "wake-up-bound";
    case bottleneck::none:
      return "";
  }
  return "";
}

std::string_view bottleneck_field(bottleneck b) {
  switch (b) {
    case bottleneck::server:
      return "server";
    case bottleneck::client:
      return "client";
    case bottleneck::both:
      return "both";
    case bottleneck::wakeup:
      return "wakeup";
    case bottleneck::none:
      return "";
  }
  return "";
}

bool server_side_bound(bottleneck b) noexcept {
  return b == bottleneck::server || b == bottleneck::both;
}

bool client_side_bound(bottleneck b) noexcept {
  return b == bottleneck::client || b == bottleneck::both;
}

bool wakeup_side_bound(bottleneck b) noexcept {
  return b == bottleneck::wakeup;
}

}  // namespace poolbench::report
