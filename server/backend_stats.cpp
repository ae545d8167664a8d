#include "backend_stats.hpp"

namespace poolbench::server {

std::string to_json(const backend_stats& s) {
  std::string out = "{";
  const auto field = [&out](std::string_view key, std::uint64_t value) {
    if (out.size() > 1)
      out += ',';
    out += '"';
    out += key;
    out += "\":";
    out += std::to_string(value);
  };
  field("admitted", s.admitted);
  field("rejected_503", s.rejected_503);
  field("rejected_429", s.rejected_429);
  field("in_flight", s.in_flight);
  field("peak_in_flight", s.peak_in_flight);
  field("queued", s.queued);
  field("queue_wait_us_total", s.queue_wait_us_total);
  field("queue_wait_us_max", s.queue_wait_us_max);
  out += "}\n";
  return out;
}

std::optional<stats_request> match_stats_request(const request& req, std::string_view stats_path) {
  if (stats_path.empty() || req.method() != http::verb::get)
    return std::nullopt;
  const std::string_view target = req.target();
  const auto question = target.find('?');
  if (target.substr(0, question) != stats_path)
    return std::nullopt;
  stats_request result;
  if (question == std::string_view::npos)
    return result;
  auto query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    if (query.substr(0, amp) == "reset=1")
      result.reset = true;
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  return result;
}

response stats_response(const backend_stats& stats, unsigned version, bool keep_alive) {
  response res{http::status::ok, version};
  res.set(http::field::server, "poolbench-server");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(keep_alive);
  res.body() = to_json(stats);
  res.prepare_payload();
  return res;
}

}  // namespace poolbench::server
