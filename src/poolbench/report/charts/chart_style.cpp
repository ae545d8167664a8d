#include <poolbench/report/charts/chart_style.hpp>

namespace poolbench::report {
namespace {

std::string first_part(const std::string& name) {
  return name.substr(0, name.find('/'));
}

}  // namespace

const char* strategy_colour(const std::string& strategy) {
  if (strategy == "serial")
    return "#555555";
  if (strategy == "thread_pool")
    return "#1f77b4";
  if (strategy == "process_pool")
    return "#ff7f0e";
  if (strategy == "async_pool")
    return "#2ca02c";
  // Anything else: a stable pick by name, so it too keeps its colour.
  static const char* others[] = {"#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"};
  std::size_t h = 0;
  for (char c : strategy)
    h = h * 31 + static_cast<unsigned char>(c);
  return others[h % std::size(others)];
}

chart_style style_of(const benchmark_result& r) {
  const auto strategy = r.params.find("strategy");
  const auto mode = r.params.find("mode");
  if (strategy == r.params.end())
    return {strategy_colour(first_part(r.name)), r.name.find("/cold") != std::string::npos};
  return {strategy_colour(strategy->second), mode != r.params.end() && mode->second == "cold"};
}

std::string chart_label(const std::vector<benchmark_result>& rows,
                        const std::vector<std::string>& labels, std::size_t i) {
  return labels.size() == rows.size() ? labels[i] : rows[i].name;
}

bool is_floor(const benchmark_result& r) {
  return first_part(r.name) == "floor" && r.params.find("mode") == r.params.end();
}

}  // namespace poolbench::report
