#pragma once

#include <poolbench/report/input/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

// The columns of pytest-benchmark's table, in its default order.
enum class column { min, max, mean, stddev, median, iqr, outliers, ops, rounds };

// "min" (--columns, csv, json) and "Min" (the tables' heading).
[[nodiscard]] const char* to_string(column c) noexcept;
[[nodiscard]] const char* column_heading(column c) noexcept;
[[nodiscard]] bool is_time_column(column c) noexcept;
[[nodiscard]] std::vector<column> default_columns();

// "min,mean,ops" → columns; throws usage_error naming an unknown column.
[[nodiscard]] std::vector<column> parse_columns(std::string_view list);

// "batch,delay_ms" → keys; empty for "".
[[nodiscard]] std::vector<std::string> parse_group_by(std::string_view list);

struct table_options {
  std::vector<column> columns = default_columns();
  // A column name, or "name"; as pytest-benchmark, the default is "min".
  std::string sort = "min";
  // Parameter keys (batch, workers, delay_ms, strategy, mode, keepalive,
  // group, family, ...) plus "file"; one table per distinct combination.
  std::vector<std::string> group_by;
};

// One table: the benchmarks of one group, in display order.
struct table {
  std::string group;  // "batch=3 delay_ms=0"; "" when not grouped
  std::vector<benchmark_result> rows;
  // What the group title names: the group-by keys with a value, in order.
  std::vector<std::pair<std::string, std::string>> key;
  // One per row: its name less the `key:value` parts the title already names
  // ("process_pool/warm/workers:64" under "batch=100 delay_ms=0"), for the
  // terminal and charts; machine-readable formats keep the full names.
  std::vector<std::string> short_names;
};

// `name` less its `k:v` parts for which `key` holds k = v; the first part
// (strategy or family) always stays.
[[nodiscard]] std::string short_name(const std::string& name,
                                     const std::vector<std::pair<std::string, std::string>>& key);

// Groups and sorts the benchmarks of every file; failed benchmarks come last.
// Names that occur in more than one file of the same table get the file's
// name appended, so rows stay distinguishable. Throws usage_error for an
// unknown sort key.
[[nodiscard]] std::vector<table> build_tables(const std::vector<result_file>& files,
                                              const table_options& options);

// `group_by` plus each workload key (batch, delay_ms, keepalive, rate) that
// takes more than one value among the files' rows, so no table holds rows
// of different work, whose ratios would mean nothing.
[[nodiscard]] std::vector<std::string> comparable_grouping(const std::vector<result_file>& files,
                                                           std::vector<std::string> group_by);

// The value of a numeric column (NaN when unknown).
[[nodiscard]] double column_value(const statistics& s, column c);

}  // namespace poolbench::report
