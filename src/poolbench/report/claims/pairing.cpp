#include <poolbench/report/claims/pairing.hpp>
#include <poolbench/report/formatted.hpp>

#include <ctime>
#include <vector>

namespace poolbench::report {
namespace {

// A context value, "" when absent or written as "unknown".
std::string known(const result_file& f, const char* key) {
  auto v = f.context_value(key);
  return v == "unknown" ? std::string() : v;
}

std::string first_of(const result_file& f, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    auto v = known(f, k);
    if (!v.empty())
      return v;
  }
  return {};
}

// "TornadoServer/6.2" -> "TornadoServer": the software, not its version.
std::string software(std::string header) {
  const auto slash = header.find('/');
  if (slash != std::string::npos)
    header.erase(slash);
  if (header.rfind("unknown", 0) == 0)
    return {};
  return header;
}

bool digits(std::string_view t, std::size_t at, std::size_t n) {
  if (at + n > t.size())
    return false;
  for (std::size_t i = at; i < at + n; ++i) {
    if (t[i] < '0' || t[i] > '9')
      return false;
  }
  return true;
}

int number(std::string_view t, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i)
    v = v * 10 + (t[i] - '0');
  return v;
}

std::string hours(double seconds) {
  return formatted("%.1f h", seconds / 3600);
}

}  // namespace

run_identity identity_of(const result_file& f) {
  run_identity id;
  id.boot_id = known(f, "boot_id");
  id.cpu_idle = f.context_value("cpu_idle") == "poll" ? "poll" : "os";
  if (f.format == source_format::pytest_benchmark) {
    id.host = first_of(f, {"host", "node"});
    id.server = software(f.context_value("server_software"));
    id.start_s = parse_iso8601(f.context_value("datetime"));
  } else {
    id.host = first_of(f, {"host", "host_name"});
    id.server = software(f.context_value("server_software"));
    // poolbench's embedded server is poolbench-server, started from next to
    // the runner; an external one (--url) is whatever it is: unknown.
    if (id.server.empty() && f.context_value("server_kind") == "embedded")
      id.server = "poolbench-server";
    id.start_s = parse_iso8601(f.context_value("date"));
  }
  return id;
}

std::optional<std::int64_t> parse_iso8601(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.frac][Z|+HH:MM|-HH:MM]
  if (!digits(t, 0, 4) || t.size() < 19 || t[4] != '-' || !digits(t, 5, 2) || t[7] != '-' ||
      !digits(t, 8, 2) || (t[10] != 'T' && t[10] != ' ') || !digits(t, 11, 2) || t[13] != ':' ||
      !digits(t, 14, 2) || t[16] != ':' || !digits(t, 17, 2))
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = number(t, 0, 4) - 1900;
  tm.tm_mon = number(t, 5, 2) - 1;
  tm.tm_mday = number(t, 8, 2);
  tm.tm_hour = number(t, 11, 2);
  tm.tm_min = number(t, 14, 2);
  tm.tm_sec = number(t, 17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return std::nullopt;
  std::size_t at = 19;
  if (at < t.size() && t[at] == '.') {
    ++at;
    while (at < t.size() && t[at] >= '0' && t[at] <= '9')
      ++at;
  }
  std::int64_t offset_s = 0;
  if (at < t.size()) {
    if (t[at] == 'Z') {
      ++at;
    } else if ((t[at] == '+' || t[at] == '-') && digits(t, at + 1, 2) && at + 3 < t.size() &&
               t[at + 3] == ':' && digits(t, at + 4, 2)) {
      offset_s =
          (number(t, at + 1, 2) * 3600 + number(t, at + 4, 2) * 60) * (t[at] == '-' ? -1 : 1);
      at += 6;
    }
  }
  if (at != t.size())
    return std::nullopt;
  return static_cast<std::int64_t>(::timegm(&tm)) - offset_s;
}

std::optional<std::string> not_comparable_reason(const result_file& cpp, const result_file& python,
                                                 std::chrono::seconds max_apart) {
  const auto a = identity_of(cpp);
  const auto b = identity_of(python);
  std::vector<std::string> why;
  if (a.host.empty() || b.host.empty())
    why.push_back("host not recorded");
  else if (a.host != b.host)
    why.push_back("different hosts: " + a.host + " vs " + b.host);
  if (a.boot_id.empty() || b.boot_id.empty())
    why.push_back("boot id not recorded");
  else if (a.boot_id != b.boot_id)
    why.push_back("different boots");
  if (!a.start_s || !b.start_s) {
    why.push_back("start time not recorded");
  } else {
    const auto apart = *a.start_s > *b.start_s ? *a.start_s - *b.start_s : *b.start_s - *a.start_s;
    if (apart > max_apart.count())
      why.push_back("started " + hours(static_cast<double>(apart)) + " apart (more than " +
                    hours(static_cast<double>(max_apart.count())) + ")");
  }
  if (a.cpu_idle != b.cpu_idle)
    why.push_back("idle CPUs " + a.cpu_idle + " vs " + b.cpu_idle + " (--cpu-idle)");
  if (a.server.empty() || b.server.empty())
    why.push_back("server software not recorded");
  else if (a.server != b.server)
    why.push_back("different servers: " + a.server + " vs " + b.server);
  if (why.empty())
    return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < why.size(); ++i)
    out += (i ? "; " : "") + why[i];
  return out;
}

}  // namespace poolbench::report
