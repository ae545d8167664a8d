#pragma once
// What the closed and open loops share: their cases' entries at stable
// addresses (a registered benchmark keeps a pointer to its entry), their
// registration with Google Benchmark under manual time, and after the run
// each case's record and the count of failed cases.

#include <poolbench/runner/case_record.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <string>

namespace benchmark {
class State;
}

namespace poolbench::runner {

// Registers `name` with Google Benchmark: manual time in milliseconds,
// `iterations` per repetition (fixed, so Google Benchmark never calls twice
// to size them) and `repetitions` repetitions.
void register_case(const std::string& name, std::function<void(benchmark::State&)> body,
                   std::size_t iterations, std::size_t repetitions);

// Entry: a loop's per-case state with a `name` (std::string) and a `record`
// (case_record).
template <class Entry>
class case_registry {
 public:
  Entry& add(Entry e) {
    entries_.push_back(std::move(e));
    return entries_.back();
  }
  [[nodiscard]] std::deque<Entry>& entries() { return entries_; }
  [[nodiscard]] const std::deque<Entry>& entries() const { return entries_; }

  // Per case name, its record; `complete(entry, record)` adds what the loop
  // keeps beside the record while it runs.
  template <class Complete>
  [[nodiscard]] std::map<std::string, case_record> records(Complete complete) const {
    std::map<std::string, case_record> out;
    for (const auto& e : entries_)
      complete(e, out[e.name] = e.record);
    return out;
  }
  [[nodiscard]] std::map<std::string, case_record> records() const {
    return records([](const Entry&, case_record&) {});
  }

  // Cases that ended with an error.
  [[nodiscard]] std::size_t failed_cases() const {
    return static_cast<std::size_t>(std::count_if(
        entries_.begin(), entries_.end(), [](const Entry& e) { return !e.record.error.empty(); }));
  }

 private:
  std::deque<Entry> entries_;  // stable addresses: registered benchmarks point here
};

}  // namespace poolbench::runner
