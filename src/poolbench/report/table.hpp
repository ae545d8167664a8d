#pragma once

#include <poolbench/report/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

// The columns of pytest-benchmark's table, in its default order.
enum class column { min, max, mean, stddev, median, iqr, outliers, ops, rounds };

[[nodiscard]] const char* to_string(column c) noexcept;
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
};

// Groups and sorts the benchmarks of every file. Names that occur in more
// than one file of the same table get the file's name appended, so rows stay
// distinguishable. Throws usage_error for an unknown sort key.
[[nodiscard]] std::vector<table> build_tables(const std::vector<result_file>& files,
                                              const table_options& options);

// The value of a numeric column (NaN when unknown).
[[nodiscard]] double column_value(const statistics& s, column c);

}  // namespace poolbench::report
