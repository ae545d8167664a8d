#include <poolbench/report/claims/claim_workload.hpp>

#include <charconv>
#include <sstream>

namespace poolbench::report {
namespace {

// A whole number, or nothing: "3" is one, "warm" and "" are not.
bool as_number(const std::string& text, double& value) {
  if (text.empty())
    return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

// -1, 0 or 1: numbers before words, numbers by value, words by text.
int compare_values(const std::string& a, const std::string& b) {
  double x = 0, y = 0;
  const bool xn = as_number(a, x), yn = as_number(b, y);
  if (xn && yn)
    return x < y ? -1 : (y < x ? 1 : 0);
  if (xn != yn)
    return xn ? -1 : 1;
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

const std::vector<std::string>& workload_keys() {
  // delay: a drawn delay's name form, absent for a constant delay_ms; two
  // cases under different distributions are different workloads.
  static const std::vector<std::string> keys = {"batch",     "delay_ms", "delay",
                                                "keepalive", "mode",     "workers"};
  return keys;
}

std::string workload_text(const benchmark_result& b) {
  // Only another program's benchmark lacks keepalive (results::parameters
  // always gives it): one connection per request, keepalive=0.
  static const std::string no_keepalive = "0";
  std::string out;
  for (const auto& key : workload_keys()) {
    const auto given = b.param(key);
    const auto& v = key == "keepalive" && given.empty() ? no_keepalive : given;
    if (v.empty())
      continue;
    // Built with +=: GCC 12 warns falsely (-Wrestrict) on literal + string.
    if (!out.empty())
      out += ' ';
    out += key;
    out += '=';
    out += v;
  }
  return out;
}

std::string strategy_of(const benchmark_result& b) {
  return b.param("strategy");
}

const benchmark_result* find_claim_benchmark(const std::vector<result_file>& files,
                                             const std::string& source, const std::string& workload,
                                             const std::string& strategy) {
  for (const auto& f : files) {
    if (f.path != source || f.format == source_format::pytest_benchmark)
      continue;
    for (const auto& b : f.benchmarks) {
      if (!b.failed() && strategy_of(b) == strategy && workload_text(b) == workload)
        return &b;
    }
  }
  return nullptr;
}

std::map<std::string, std::string> workload_values(const std::string& workload) {
  std::map<std::string, std::string> out;
  std::istringstream words(workload);
  for (std::string word; words >> word;) {
    const auto eq = word.find('=');
    if (eq != std::string::npos)
      out[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return out;
}

bool reads_before(const std::string& workload_a, const std::string& workload_b) {
  static const char* const order[] = {"batch", "delay_ms", "delay", "keepalive", "workers", "mode"};
  const auto a = workload_values(workload_a), b = workload_values(workload_b);
  for (const char* key : order) {
    const auto x = a.find(key), y = b.find(key);
    const std::string xv = x == a.end() ? "" : x->second, yv = y == b.end() ? "" : y->second;
    if (const int c = compare_values(xv, yv); c != 0)
      return c < 0;
  }
  return workload_a < workload_b;
}

}  // namespace poolbench::report
