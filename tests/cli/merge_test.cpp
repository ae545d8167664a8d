// poolbench-report merge: two halves of one run merge to the whole run's
// histogram and percentiles exactly; real runs of poolbench against one
// poolbench-server add bin by bin; mismatched parts are refused with one
// line and exit 2, writing nothing.

#include "server_process.hpp"
#include "test_support.hpp"

#include <poolbench/results/latency_histogram.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>

namespace {

using nlohmann::json;
using poolbench::report::testing::read_text;
using poolbench::report::testing::run_command;
using poolbench::report::testing::shell_quoted;
using poolbench::report::testing::temp_dir;
using poolbench::report::testing::write_text;

const std::string& report = poolbench::report::testing::report_program;

json read_json(const std::filesystem::path& path) {
  return json::parse(read_text(path));
}

std::map<std::uint64_t, std::uint64_t> bins_of(const json& histogram) {
  std::map<std::uint64_t, std::uint64_t> out;
  for (const auto& pair : histogram["counts"])
    out[pair[0].get<std::uint64_t>()] += pair[1].get<std::uint64_t>();
  return out;
}

// The fixture open-loop run (written by the real runner) cut in two: every
// bin's count and every total split, as two hosts sharing the load would.
std::pair<json, json> halves(const json& whole) {
  json a = whole, b = whole;
  a["context"]["host_name"] = "host-a";
  b["context"]["host_name"] = "host-b";
  b["context"]["seed"] = 2;
  for (std::size_t k = 0; k < whole["benchmarks"].size(); ++k) {
    const auto& run = whole["benchmarks"][k];
    auto &ra = a["benchmarks"][k], &rb = b["benchmarks"][k];
    ra["histogram"]["counts"] = json::array();
    rb["histogram"]["counts"] = json::array();
    for (const auto& pair : run["histogram"]["counts"]) {
      const auto n = pair[1].get<std::uint64_t>();
      if (n / 2 > 0)
        ra["histogram"]["counts"].push_back({pair[0], n / 2});
      rb["histogram"]["counts"].push_back({pair[0], n - n / 2});
    }
    for (const char* key : {"requests", "completed", "incomplete"}) {
      const auto n = run["open_loop"][key].get<std::uint64_t>();
      ra["open_loop"][key] = n / 2;
      rb["open_loop"][key] = n - n / 2;
    }
    for (const char* key : {"offered_rate", "achieved_rate"}) {
      ra["open_loop"][key] = run["open_loop"][key].get<double>() / 2;
      rb["open_loop"][key] = run["open_loop"][key].get<double>() / 2;
    }
  }
  return {a, b};
}

TEST(Merge, TwoHalvesOfOneRunMergeToTheWholeRunsHistogramAndPercentilesExactly) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const json whole = read_json(std::string(POOLBENCH_REPORT_FIXTURES) + "/open_loop.json");
  const auto [a, b] = halves(whole);
  const auto pa = dir.path() / "a.json", pb = dir.path() / "b.json", out = dir.path() / "all.json";
  write_text(pa, a.dump());
  write_text(pb, b.dump());
  const auto r = run_command(report + " merge " + shell_quoted(out.string()) + " " +
                             shell_quoted(pa.string()) + " " + shell_quoted(pb.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json merged = read_json(out);
  ASSERT_EQ(merged["benchmarks"].size(), whole["benchmarks"].size());
  for (std::size_t k = 0; k < whole["benchmarks"].size(); ++k) {
    const auto& w = whole["benchmarks"][k];
    const auto& m = merged["benchmarks"][k];
    EXPECT_EQ(m["histogram"], w["histogram"]) << w["name"];
    for (const char* key : {"requests", "completed", "incomplete"})
      EXPECT_EQ(m["open_loop"][key], w["open_loop"][key]) << key;
    // Recomputed from the merged histogram: the runner's own numbers for
    // the whole run, to the last bit.
    for (const char* p : {"p50", "p90", "p99", "p999", "max"})
      EXPECT_EQ(m["open_loop"]["latency_s"][p], w["open_loop"]["latency_s"][p]) << p;
    EXPECT_DOUBLE_EQ(m["open_loop"]["offered_rate"].get<double>(),
                     w["open_loop"]["offered_rate"].get<double>());
    EXPECT_EQ(m["open_loop"]["hosts"], 2);
    EXPECT_FALSE(m["open_loop"].contains("service_s"));  // no histogram: not mergeable
    ASSERT_EQ(m["parts"].size(), 2u);
    EXPECT_EQ(m["parts"][1]["open_loop"], b["benchmarks"][k]["open_loop"]);
  }
  EXPECT_EQ(merged["context"]["host_name"], "host-a+host-b");
  EXPECT_FALSE(merged["context"].contains("seed"));  // the parts differ: only in parts
  EXPECT_EQ(merged["context"]["parts"][1]["context"]["seed"], 2);
  // show reads the merged file as any open-loop file.
  const auto show = run_command(report + " show " + shell_quoted(out.string()));
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("open loop"), std::string::npos) << show.out;
}

TEST(Merge, RefusesMismatchedPartsInOneLineAndWritesNothing) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const json whole = read_json(std::string(POOLBENCH_REPORT_FIXTURES) + "/open_loop.json");
  const auto [a, b] = halves(whole);
  const auto pa = (dir.path() / "a.json").string();
  write_text(pa, a.dump());
  const auto variant = [&, &second = b](const std::string& name,
                                        const std::function<void(json&)>& change) {
    json doc = second;
    change(doc);
    const auto path = (dir.path() / name).string();
    write_text(path, doc.dump());
    return path;
  };
  const auto out = (dir.path() / "out.json").string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {shell_quoted(pa) + " " +
           shell_quoted(variant("bins.json",
                                [](json& d) { d["benchmarks"][0]["histogram"]["bins"] = 2000; })),
       "has 2000 log bins over [1e-06, 60) s, " + pa + " has 1000 log bins"},
      {shell_quoted(pa) + " " +
           shell_quoted(
               variant("duration.json", [](json& d) { d["context"]["duration_s"] = 2.0; })),
       "duration_s 2.0 differs"},
      {shell_quoted(pa) + " " +
           shell_quoted(variant("fewer.json",
                                [](json& d) { d["benchmarks"].erase(d["benchmarks"].begin()); })),
       "has no thread_pool/warm/open/rate:100/workers:4/delay_ms:10/keepalive:1"},
      {shell_quoted(pa) + " " +
           shell_quoted(std::string(POOLBENCH_REPORT_FIXTURES) + "/poolbench_base.json"),
       "load_model \"closed-loop\" differs"},
      {shell_quoted(pa), "two or more result files"},
      {shell_quoted(pa) + " " + shell_quoted(pa), "given twice"},
  };
  for (const auto& [inputs, reason] : cases) {
    const auto r = run_command(report + " merge " + shell_quoted(out) + " " + inputs);
    EXPECT_EQ(r.exit_code, 2) << inputs << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << inputs;
  }
  const auto onto_input = run_command(report + " merge " + shell_quoted(pa) + " " +
                                      shell_quoted(pa) + " " + shell_quoted(pa));
  EXPECT_EQ(onto_input.exit_code, 2);
  EXPECT_NE(onto_input.err.find("is also an input"), std::string::npos) << onto_input.err;
}

TEST(Merge, RealRunsOfTwoHostsAddBinByBinAndReadPercentilesByTheRunnersRule) {
#ifndef POOLBENCH_BIN
  GTEST_SKIP() << "poolbench is not built (POOLBENCH_BUILD_BENCH=OFF)";
#else
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  poolbench::testing::server_process server(POOLBENCH_SERVER_BIN);
  std::vector<json> parts;
  std::string inputs;
  for (const char* seed : {"1", "2"}) {
    std::string file = "host";
    file += seed;
    file += ".json";
    const auto path = (dir.path() / file).string();
    const auto run = run_command(std::string(POOLBENCH_BIN) + " --url " + server.url() +
                                     " --rate 60 --duration 0.5 --workers 2 --delay-ms 2 "
                                     "--strategies thread_pool,async_pool --arrivals poisson "
                                     "--seed " +
                                     seed + " --out " + shell_quoted(path),
                                 240);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    parts.push_back(read_json(path));
    inputs += ' ';
    inputs += shell_quoted(path);
  }
  const auto out = dir.path() / "merged.json";
  const auto r = run_command(report + " merge " + shell_quoted(out.string()) + inputs);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json merged = read_json(out);
  ASSERT_EQ(merged["benchmarks"].size(), parts[0]["benchmarks"].size());
  ASSERT_FALSE(merged["benchmarks"].empty());
  for (std::size_t k = 0; k < merged["benchmarks"].size(); ++k) {
    const auto& m = merged["benchmarks"][k];
    std::map<std::uint64_t, std::uint64_t> expected;
    std::uint64_t requests = 0;
    for (const auto& part : parts) {
      const auto& run = part["benchmarks"][k];
      for (const auto& [bin, n] : bins_of(run["histogram"]))
        expected[bin] += n;
      requests += run["open_loop"]["requests"].get<std::uint64_t>();
      // The report reads a histogram's percentiles exactly as the runner
      // wrote them: merged percentiles mean what one host's do.
      const auto counts = poolbench::results::latency_histogram::from_json(
          run["histogram"], run["open_loop"]["latency_s"]["max"].get<double>());
      EXPECT_EQ(counts.count(), run["open_loop"]["completed"].get<std::uint64_t>());
      for (const auto& [key, p] : std::vector<std::pair<const char*, double>>{
               {"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}})
        EXPECT_EQ(counts.percentile(p), run["open_loop"]["latency_s"][key].get<double>()) << key;
    }
    EXPECT_EQ(bins_of(m["histogram"]), expected) << m["name"];
    EXPECT_EQ(m["open_loop"]["requests"].get<std::uint64_t>(), requests);
    EXPECT_NE(m["name"].get<std::string>().find("/rate:120/"), std::string::npos) << m["name"];
  }
#endif
}

}  // namespace
