#include <poolbench/runner/server_stats.hpp>

#include <poolbench/http/sync_client.hpp>

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace poolbench::runner {

server_stats parse_server_stats(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object())
    throw std::runtime_error("the server's stats are not a JSON object");
  const auto field = [&json](const char* key) -> std::uint64_t {
    const auto it = json.find(key);
    if (it == json.end() || !it->is_number())
      throw std::runtime_error(std::string("the server's stats lack '") + key + "'");
    return it->is_number_unsigned() ? it->get<std::uint64_t>()
                                    : static_cast<std::uint64_t>(it->get<double>());
  };
  server_stats s;
  s.admitted = field("admitted");
  s.rejected_503 = field("rejected_503");
  s.rejected_429 = field("rejected_429");
  s.in_flight = field("in_flight");
  s.peak_in_flight = field("peak_in_flight");
  s.queued = field("queued");
  s.queue_wait_us_total = field("queue_wait_us_total");
  s.queue_wait_us_max = field("queue_wait_us_max");
  return s;
}

server_stats read_server_stats(const http::url& server, std::string_view path, bool reset) {
  http::sync_client client(server);  // fresh connection, default timeouts
  std::string target(path);
  if (reset)
    target += "?reset=1";
  const auto answer = client.get(target);
  if (answer.status != 200)
    throw std::runtime_error("GET " + target + " from the embedded server answered " +
                             std::to_string(answer.status));
  return parse_server_stats(answer.body);
}

}  // namespace poolbench::runner
