#include <poolbench/report/tables/table.hpp>

#include <poolbench/report/input/errors.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>

namespace poolbench::report {
namespace {

// Every column in pytest-benchmark's default order, with its name (for
// --columns and the machine formats) and its heading (for people). The
// statistic it reads is column_value's.
struct column_info {
  column id;
  const char* name;
  const char* heading;
  double statistics::*value;  // nullptr: outliers and rounds, not doubles
};

constexpr column_info all_columns[] = {
    {column::min, "min", "Min", &statistics::min},
    {column::max, "max", "Max", &statistics::max},
    {column::mean, "mean", "Mean", &statistics::mean},
    {column::stddev, "stddev", "StdDev", &statistics::stddev},
    {column::median, "median", "Median", &statistics::median},
    {column::iqr, "iqr", "IQR", &statistics::iqr},
    {column::outliers, "outliers", "Outliers", nullptr},
    {column::ops, "ops", "OPS", &statistics::ops},
    {column::rounds, "rounds", "Rounds", nullptr},
};

const column_info& info(column c) noexcept {
  return all_columns[static_cast<std::size_t>(c)];
}

std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = std::min(list.find(',', start), list.size());
    std::string item(list.substr(start, comma - start));
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty())
      items.push_back(item);
    start = comma + 1;
  }
  return items;
}

// "10" after "9": compare numerically when both sides are numbers.
bool natural_less(const std::string& a, const std::string& b) {
  char* end_a = nullptr;
  char* end_b = nullptr;
  const double x = std::strtod(a.c_str(), &end_a);
  const double y = std::strtod(b.c_str(), &end_b);
  const bool numbers = !a.empty() && !b.empty() && *end_a == '\0' && *end_b == '\0';
  if (numbers && x != y)
    return x < y;
  return a < b;
}

using group_key = std::vector<std::pair<std::string, std::string>>;

struct group_key_less {
  bool operator()(const group_key& a, const group_key& b) const {
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      if (a[i].second != b[i].second)
        return natural_less(a[i].second, b[i].second);
    }
    return a.size() < b.size();
  }
};

group_key key_of(const benchmark_result& r, const std::vector<std::string>& group_by) {
  group_key key;
  for (const auto& k : group_by) {
    if (k == "file") {
      key.emplace_back(k, r.file);
    } else if (const auto it = r.params.find(k); it != r.params.end()) {
      key.emplace_back(k, it->second);
    } else {
      key.emplace_back(k, "");
    }
  }
  return key;
}

std::string title_of(const group_key& key) {
  std::string title;
  for (const auto& [k, v] : key) {
    if (v.empty())
      continue;  // as pytest-benchmark, missing parts are left out
    if (!title.empty())
      title += ' ';
    // pytest-benchmark titles its own groups by value alone, params as k=v.
    title += k == "group" ? v : k + "=" + v;
  }
  return title;
}

// The display order of `rows`: by name, or best first by a column (highest
// OPS, lowest everything else), unknown values next, failed benchmarks last.
std::vector<std::size_t> display_order(const std::vector<benchmark_result>& rows,
                                       const std::string& sort) {
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  if (sort == "name") {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return rows[a].name < rows[b].name; });
    return order;
  }
  const column c = parse_columns(sort).front();
  const double sign = c == column::ops ? -1.0 : 1.0;
  auto rank = [&](std::size_t i) {
    return rows[i].failed() ? 2 : std::isnan(column_value(rows[i].stats, c)) ? 1 : 0;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (rank(a) != rank(b) || rank(a) != 0)
      return rank(a) < rank(b);
    return sign * column_value(rows[a].stats, c) < sign * column_value(rows[b].stats, c);
  });
  return order;
}

template <typename T>
std::vector<T> reordered(std::vector<T> items, const std::vector<std::size_t>& order) {
  std::vector<T> out;
  out.reserve(items.size());
  for (std::size_t i : order)
    out.push_back(std::move(items[i]));
  return out;
}

// Names that occur twice get " (<file stem>)", in the short names too.
void disambiguate_names(table& t) {
  std::map<std::string, int> count;
  for (const auto& r : t.rows)
    ++count[r.name];
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    auto& r = t.rows[i];
    if (count[r.name] > 1) {
      const std::string suffix = " (" + std::filesystem::path(r.file).stem().string() + ")";
      r.name += suffix;
      t.short_names[i] += suffix;
    }
  }
}

}  // namespace

const char* to_string(column c) noexcept {
  return info(c).name;
}

const char* column_heading(column c) noexcept {
  return info(c).heading;
}

bool is_time_column(column c) noexcept {
  return c != column::outliers && c != column::ops && c != column::rounds;
}

std::vector<column> default_columns() {
  std::vector<column> columns;
  for (const auto& c : all_columns)
    columns.push_back(c.id);
  return columns;
}

std::vector<column> parse_columns(std::string_view list) {
  std::vector<column> columns;
  for (const auto& item : split_list(list)) {
    std::string lower = item;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    const auto it = std::find_if(std::begin(all_columns), std::end(all_columns),
                                 [&](const column_info& c) { return lower == c.name; });
    if (it == std::end(all_columns)) {
      throw usage_error("unknown column \"" + item +
                        "\" (known: min, max, mean, stddev, median, iqr, outliers, ops, rounds)");
    }
    columns.push_back(it->id);
  }
  if (columns.empty())
    throw usage_error("no column given");
  return columns;
}

std::vector<std::string> comparable_grouping(const std::vector<result_file>& files,
                                             std::vector<std::string> group_by) {
  for (const std::string_view key : {"batch", "delay_ms", "delay", "keepalive", "rate"}) {
    if (std::find(group_by.begin(), group_by.end(), key) != group_by.end())
      continue;
    std::set<std::string> values;
    for (const auto& f : files) {
      for (const auto& b : f.benchmarks) {
        if (const auto it = b.params.find(std::string(key)); it != b.params.end())
          values.insert(it->second);
        else if (key == "delay")
          values.insert("");  // a constant delay is a value of its own beside a drawn one
      }
    }
    if (values.size() > 1)
      group_by.emplace_back(key);
  }
  return group_by;
}

std::vector<std::string> parse_group_by(std::string_view list) {
  return split_list(list);
}

std::string short_name(const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& key) {
  std::string out;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto slash = std::min(name.find('/', start), name.size());
    const auto part = name.substr(start, slash - start);
    const bool named = start > 0 && std::any_of(key.begin(), key.end(), [&](const auto& kv) {
                         return part == kv.first + ":" + kv.second;
                       });
    if (!named) {
      if (!out.empty())
        out += '/';
      out += part;
    }
    start = slash + 1;
  }
  return out;
}

double column_value(const statistics& s, column c) {
  if (c == column::rounds)
    return static_cast<double>(s.rounds);
  if (c == column::outliers)
    return s.stddev_outliers < 0 ? NAN : static_cast<double>(s.stddev_outliers + s.iqr_outliers);
  return s.*info(c).value;
}

std::vector<table> build_tables(const std::vector<result_file>& files,
                                const table_options& options) {
  if (options.sort != "name")
    (void)parse_columns(options.sort);  // reject bad keys early
  std::map<group_key, table, group_key_less> groups;
  for (const auto& file : files) {
    for (const auto& r : file.benchmarks) {
      const auto key = key_of(r, options.group_by);
      auto& t = groups[key];
      t.group = title_of(key);
      t.rows.push_back(r);
    }
  }
  std::vector<table> tables;
  for (auto& [key, t] : groups) {
    for (const auto& kv : key) {
      if (!kv.second.empty())
        t.key.push_back(kv);
    }
    for (const auto& r : t.rows)
      t.short_names.push_back(short_name(r.name, t.key));
    disambiguate_names(t);
    const auto order = display_order(t.rows, options.sort);
    t.rows = reordered(std::move(t.rows), order);
    t.short_names = reordered(std::move(t.short_names), order);
    tables.push_back(std::move(t));
  }
  return tables;
}

}  // namespace poolbench::report
