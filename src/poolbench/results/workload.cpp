#include <poolbench/results/split.hpp>
#include <poolbench/results/workload.hpp>

#include <poolbench/results/benchmark_json.hpp>
#include <poolbench/results/delay_name.hpp>
#include <poolbench/results/strategy_traits.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>
#include <vector>

namespace poolbench::results {
namespace {

using detail::split;

// A whole decimal number, nothing around it.
std::optional<std::uint64_t> parse_count(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

std::optional<double> parse_positive(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value > 0) ||
      !std::isfinite(value))
    return std::nullopt;
  return value;
}

// "key:value" → value, when the part has that key.
std::optional<std::string_view> value_of(std::string_view part, std::string_view key) {
  if (part.size() > key.size() && part.starts_with(key) && part[key.size()] == ':')
    return part.substr(key.size() + 1);
  return std::nullopt;
}

// "<what> '<text>' (expected <accepted>)", built with append: GCC 12 warns
// falsely (-Wrestrict) on short literals + std::string.
std::invalid_argument unknown(const char* what, std::string_view text, const char* accepted) {
  std::string message = "unknown ";
  message.append(what).append(" '").append(text).append("' (expected ").append(accepted);
  return std::invalid_argument(message.append(")"));
}

std::invalid_argument bad_field(const char* key, const char* problem) {
  std::string message = "workload \"";
  return std::invalid_argument(message.append(key).append("\" ").append(problem));
}

template <class T>
T field(const nlohmann::ordered_json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end())
    throw bad_field(key, "is missing");
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw bad_field(key, "has the wrong type");
  }
}

}  // namespace

std::string_view to_string(strategy s) noexcept {
  return s.name();
}

std::string_view to_string(pool_mode m) noexcept {
  return m == pool_mode::warm ? "warm" : "cold";
}

std::string_view to_string(connection c) noexcept {
  return c == connection::keep_alive ? "keep_alive" : "fresh";
}

std::string_view to_string(arrivals a) noexcept {
  return a == arrivals::poisson ? "poisson" : "uniform";
}

strategy parse_strategy(std::string_view text) {
  const auto known = registered_strategies();
  for (auto s : known) {
    if (text == s.name())
      return s;
  }
  // "a, b, c or d", the registered names in their order.
  std::string accepted;
  for (std::size_t i = 0; i < known.size(); ++i) {
    if (i > 0)
      accepted.append(i + 1 == known.size() ? " or " : ", ");
    accepted.append(known[i].name());
  }
  throw unknown("strategy", text, accepted.c_str());
}

pool_mode parse_pool_mode(std::string_view text) {
  if (text == "warm")
    return pool_mode::warm;
  if (text == "cold")
    return pool_mode::cold;
  throw unknown("mode", text, "warm or cold");
}

connection parse_connection(std::string_view text) {
  if (text == "fresh")
    return connection::fresh;
  if (text == "keep_alive")
    return connection::keep_alive;
  throw unknown("connection", text, "fresh or keep_alive");
}

arrivals parse_arrivals(std::string_view text) {
  if (text == "poisson")
    return arrivals::poisson;
  if (text == "uniform")
    return arrivals::uniform;
  throw unknown("arrivals", text, "poisson or uniform");
}

bool has_pool(strategy s) noexcept {
  return traits_of(s).has_pool;
}

bool no_pool_to_size(strategy s) noexcept {
  const auto t = traits_of(s);
  return !t.has_pool && t.in_flight != per_case::one;
}

namespace {

// A strategy without a pool that keeps its workers in flight (the floor)
// names them when they are fewer than the batch.
bool names_fewer_workers(strategy s) noexcept {
  return no_pool_to_size(s) && traits_of(s).in_flight == per_case::workers;
}

// A name part that is a strategy's name; nullopt for any other text.
std::optional<strategy> strategy_named(std::string_view text) {
  if (!valid_strategy_name(text))
    return std::nullopt;
  return strategy(text);
}

}  // namespace

std::string shortest_number(double value) {
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return ec == std::errc() ? std::string(text, end) : std::to_string(value);
}

std::string case_name(const workload& w) {
  std::string out(to_string(w.strategy));
  const bool sized = !no_pool_to_size(w.strategy);
  if (sized)
    out.append("/").append(to_string(w.mode));
  if (w.open_loop) {
    out.append("/open/rate:").append(shortest_number(w.open_loop->rate));
  } else {
    out.append("/batch:").append(std::to_string(w.batch));
  }
  // The floor names its workers (requests in flight) only when they are
  // fewer than the batch: the whole batch in flight keeps the name it had
  // before floors were bounded, so older files still mean what they say.
  if (sized || (names_fewer_workers(w.strategy) && !w.open_loop && w.workers < w.batch))
    out.append("/workers:").append(std::to_string(w.workers));
  if (w.delay)
    out.append("/delay:").append(delay_name_form(*w.delay));
  else
    out.append("/delay_ms:").append(std::to_string(w.delay_ms));
  if (w.keep_alive())
    out.append("/keepalive:1");
  return out;
}

std::optional<workload> parse_case_name(std::string_view full_name) {
  const std::string name = without_run_suffixes(full_name);
  const auto parts = split(name, '/');
  workload w;
  std::size_t i = 0;
  const auto named = strategy_named(parts[i++]);
  if (!named)
    return std::nullopt;
  w.strategy = *named;
  const bool sized = !no_pool_to_size(w.strategy);
  if (sized) {
    if (i >= parts.size())
      return std::nullopt;
    try {
      w.mode = parse_pool_mode(parts[i++]);
    } catch (const std::invalid_argument&) {
      return std::nullopt;
    }
  }
  if (i < parts.size() && parts[i] == "open") {
    ++i;
    const auto rate = i < parts.size() ? value_of(parts[i++], "rate") : std::nullopt;
    const auto r = rate ? parse_positive(*rate) : std::nullopt;
    if (!r)
      return std::nullopt;
    w.open_loop = open_loop_load{*r, std::nullopt};
  } else {
    const auto batch = i < parts.size() ? value_of(parts[i++], "batch") : std::nullopt;
    const auto b = batch ? parse_count(*batch) : std::nullopt;
    if (!b)
      return std::nullopt;
    w.batch = *b;
  }
  const bool named_workers = i < parts.size() && value_of(parts[i], "workers");
  const bool fewer = names_fewer_workers(w.strategy);
  if (!sized && !(fewer && named_workers)) {
    w.workers = w.batch;  // the whole batch in flight
  } else {
    const auto workers = i < parts.size() ? value_of(parts[i++], "workers") : std::nullopt;
    const auto n = workers ? parse_count(*workers) : std::nullopt;
    if (!n || (fewer && (*n == 0 || *n > w.batch)))
      return std::nullopt;
    w.workers = *n;
  }
  if (i >= parts.size())
    return std::nullopt;
  if (const auto drawn = value_of(parts[i], "delay")) {
    w.delay = delay_spec_from_name_form(*drawn);
    if (!w.delay)
      return std::nullopt;
  } else {
    const auto delay = value_of(parts[i], "delay_ms");
    const auto d = delay ? parse_count(*delay) : std::nullopt;
    if (!d)
      return std::nullopt;
    w.delay_ms = *d;
  }
  ++i;
  if (i < parts.size()) {
    const auto keepalive = value_of(parts[i++], "keepalive");
    if (!keepalive || (*keepalive != "1" && *keepalive != "0"))
      return std::nullopt;
    w.connection = *keepalive == "1" ? connection::keep_alive : connection::fresh;
  }
  if (i != parts.size())
    return std::nullopt;
  return w;
}

nlohmann::ordered_json to_json(const workload& w) {
  nlohmann::ordered_json j;
  j["strategy"] = to_string(w.strategy);
  j["mode"] = to_string(w.mode);
  if (!w.open_loop)
    j["batch"] = w.batch;
  j["workers"] = w.workers;
  if (w.delay)
    j["delay"] = *w.delay;
  else
    j["delay_ms"] = w.delay_ms;
  j["connection"] = to_string(w.connection);
  j["loop"] = w.open_loop ? "open" : "closed";
  if (w.open_loop) {
    j["rate"] = w.open_loop->rate;
    if (w.open_loop->arrivals)
      j["arrivals"] = to_string(*w.open_loop->arrivals);
  }
  return j;
}

workload workload_from_json(const nlohmann::ordered_json& j) {
  if (!j.is_object())
    throw std::invalid_argument("workload is not an object");
  workload w;
  // Any well-formed name: the file may come from a program with strategies
  // of its own.
  const auto name = field<std::string>(j, "strategy");
  if (!valid_strategy_name(name))
    throw bad_field("strategy", "is not a strategy name ([a-z][a-z0-9_]*)");
  w.strategy = strategy(name);
  w.mode = parse_pool_mode(field<std::string>(j, "mode"));
  w.workers = field<std::size_t>(j, "workers");
  if (j.contains("delay")) {
    try {
      w.delay = canonical_delay_spec(field<std::string>(j, "delay"));
    } catch (const std::invalid_argument& e) {
      std::string message = "workload \"delay\": ";
      throw std::invalid_argument(message.append(e.what()));
    }
  } else {
    w.delay_ms = field<std::uint64_t>(j, "delay_ms");
  }
  w.connection = parse_connection(field<std::string>(j, "connection"));
  const auto loop = field<std::string>(j, "loop");
  if (loop == "open") {
    open_loop_load load;
    load.rate = field<double>(j, "rate");
    if (!(load.rate > 0) || !std::isfinite(load.rate))
      throw bad_field("rate", "must be a positive number");
    if (j.contains("arrivals"))
      load.arrivals = parse_arrivals(field<std::string>(j, "arrivals"));
    w.open_loop = load;
  } else if (loop == "closed") {
    w.batch = field<std::size_t>(j, "batch");
  } else {
    throw unknown("loop", loop, "closed or open");
  }
  return w;
}

std::map<std::string, std::string> parameters(const workload& w) {
  std::map<std::string, std::string> p;
  p["strategy"] = to_string(w.strategy);
  if (w.delay)
    p["delay"] = delay_name_form(*w.delay);
  else
    p["delay_ms"] = std::to_string(w.delay_ms);
  p["keepalive"] = std::string(1, w.keep_alive() ? '1' : '0');
  // The floor and unbounded have no pool: no mode; workers only for a floor
  // that has fewer in flight than the batch.
  if (!no_pool_to_size(w.strategy)) {
    p["mode"] = to_string(w.mode);
    p["workers"] = std::to_string(w.workers);
  } else if (!w.open_loop && w.workers < w.batch) {
    p["workers"] = std::to_string(w.workers);
  }
  if (w.open_loop) {
    p["rate"] = shortest_number(w.open_loop->rate);
    if (w.open_loop->arrivals)
      p["arrivals"] = std::string(to_string(*w.open_loop->arrivals));
  } else {
    p["batch"] = std::to_string(w.batch);
  }
  return p;
}

}  // namespace poolbench::results
