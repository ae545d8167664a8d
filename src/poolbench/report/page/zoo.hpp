#pragma once
// The executor zoo (poolbench --zoo; scripts/bench --zoo publishes it as
// results/zoo.json): one file in which every strategy a program registers,
// the built-ins and the adapters of real libraries, ran the same workloads
// against the default backend - the article's (3 names, warm) and the
// keep-alive sweep (10 ms, batch 4 x workers). Its cases are compared with
// each other, never pooled with another file's: the page gives it a section
// of its own (zoo_section.hpp) and keeps it out of the default tables.

#include <poolbench/report/input/result.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

// Whether `file` is a zoo run: its context's workload is "zoo" (or "zoo
// (quick)"), as poolbench --zoo records it.
[[nodiscard]] bool is_zoo_file(const result_file& file);

// `files` less the zoo runs.
[[nodiscard]] std::vector<result_file> without_zoo_files(const std::vector<result_file>& files);

// What the zoo found, computed from its rows by the sequential rule the file
// records: per workload (the largest sweep point first, then the article's,
// then the other sweep points) the strategy with the shortest round and how
// the slowest compares with it, then the spread of client CPU and of the
// pool's own memory at the largest point. The floor is the measuring stick,
// never ranked. The first sentence is the headline (the README's). Empty
// when no case measured.
[[nodiscard]] std::vector<std::string> zoo_sentences(const result_file& file);

}  // namespace poolbench::report
