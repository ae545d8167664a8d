#include <poolbench/report/claims/claims.hpp>

#include <poolbench/results/delay_name.hpp>

#include <compare>

namespace poolbench::report {
namespace {

// A number before none (a workload without the part comes after those with it).
template <class T>
std::strong_ordering numbers_first(const std::optional<T>& a, const std::optional<T>& b) {
  if (a && b)
    return *a <=> *b;
  return b.has_value() <=> a.has_value();
}

// None before a word, words by their text.
std::strong_ordering words(const std::optional<std::string_view>& a,
                           const std::optional<std::string_view>& b) {
  if (a && b)
    return a->compare(*b) <=> 0;
  return a.has_value() <=> b.has_value();
}

std::optional<std::string_view> mode_text(const workload_key& k) {
  if (!k.mode)
    return std::nullopt;
  return results::to_string(*k.mode);
}

}  // namespace

void append_key_value(std::string& out, const char* key, const std::string& value) {
  // Built with +=: GCC 12 warns falsely (-Wrestrict) on literal + string.
  if (!out.empty())
    out += ' ';
  out += key;
  out += '=';
  out += value;
}

std::optional<workload_key> workload_key_of(const benchmark_result& b) {
  if (!b.workload)
    return std::nullopt;
  const auto& w = *b.workload;
  workload_key k;
  if (!w.open_loop)
    k.batch = w.batch;
  if (w.delay)
    k.delay = results::delay_name_form(*w.delay);
  else
    k.delay_ms = w.delay_ms;
  k.keep_alive = w.keep_alive();
  // As results::parameters names them, less what the loader drops for a
  // strategy without a pool to size (its mode).
  if (!results::no_pool_to_size(w.strategy)) {
    k.mode = w.mode;
    k.workers = w.workers;
  } else if (!w.open_loop && w.workers < w.batch) {
    k.workers = w.workers;
  }
  return k;
}

std::string workload_text(const workload_key& k) {
  std::string out;
  if (k.batch)
    append_key_value(out, "batch", std::to_string(*k.batch));
  if (k.delay_ms)
    append_key_value(out, "delay_ms", std::to_string(*k.delay_ms));
  if (k.delay)
    append_key_value(out, "delay", *k.delay);
  append_key_value(out, "keepalive", k.keep_alive ? "1" : "0");
  if (k.mode)
    append_key_value(out, "mode", std::string(results::to_string(*k.mode)));
  if (k.workers)
    append_key_value(out, "workers", std::to_string(*k.workers));
  return out;
}

std::string strategy_of(const benchmark_result& b) {
  return b.param("strategy");
}

bool reads_before(const workload_key& a, const workload_key& b) {
  for (const auto order :
       {numbers_first(a.batch, b.batch), numbers_first(a.delay_ms, b.delay_ms),
        words(a.delay, b.delay), a.keep_alive <=> b.keep_alive, numbers_first(a.workers, b.workers),
        words(mode_text(a), mode_text(b))}) {
    if (order != 0)
      return order < 0;
  }
  return false;
}

}  // namespace poolbench::report
