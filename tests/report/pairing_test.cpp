#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/claims/pairing.hpp>
#include <poolbench/report/page/summary.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace poolbench::report {
namespace {

result_file cpp_file(const std::string& host, const std::string& boot, const std::string& date,
                     const std::string& server_kind = "embedded") {
  result_file f;
  f.path = "latest.json";
  f.format = source_format::poolbench;
  f.context = {{"date", date},
               {"host_name", host},
               {"host", host},
               {"boot_id", boot},
               {"server_kind", server_kind}};
  benchmark_result b;
  b.name = "serial/warm/batch:3/workers:1/delay_ms:0";
  b.params = {{"strategy", "serial"},
              {"mode", "warm"},
              {"batch", "3"},
              {"workers", "1"},
              {"delay_ms", "0"}};
  b.samples = {1e-3, 1.1e-3, 0.9e-3, 1e-3, 1.05e-3, 0.95e-3, 1e-3, 1.02e-3, 0.98e-3};
  b.repetition_means = b.samples;
  f.benchmarks.push_back(b);
  return f;
}

result_file python_file(const std::string& host, const std::string& boot,
                        const std::string& datetime, const std::string& server) {
  result_file f;
  f.path = "python-reference.json";
  f.format = source_format::pytest_benchmark;
  f.context = {{"node", host}, {"boot_id", boot}, {"server_software", server}};
  if (!datetime.empty())
    f.context.emplace_back("datetime", datetime);
  benchmark_result b;
  b.name = "test_serial";
  b.params = {{"strategy", "serial"}, {"mode", "warm"},  {"batch", "3"},
              {"workers", "1"},       {"delay_ms", "0"}, {"keepalive", "0"}};
  for (int i = 0; i < 30; ++i)
    b.samples.push_back(5e-3 + 1e-5 * (i % 7));
  f.benchmarks.push_back(b);
  return f;
}

result_file with_cpu_idle(result_file f, const std::string& mode) {
  f.context.emplace_back("cpu_idle", mode);
  return f;
}

const char* boot = "6a6509e5-e976-4a4c-bdbc-731669416c30";

TEST(pairing, parses_both_writers_dates) {
  EXPECT_EQ(parse_iso8601("1970-01-01T01:00:00+00:00"), 3600);
  EXPECT_EQ(parse_iso8601("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:00-00:30"), 1800);
  EXPECT_EQ(parse_iso8601("1970-01-02T00:00:00.579707"), 86400);  // pytest-benchmark: UTC
  EXPECT_EQ(parse_iso8601("2026-11-27T09:34:23Z"),
            *parse_iso8601("2026-11-27T09:24:14+00:00") + 609);
  for (const char* bad : {"", "2026-11-27", "2026-13-01T00:00:00", "2026-11-27T09:24:14 junk"})
    EXPECT_FALSE(parse_iso8601(bad).has_value()) << bad;
}

TEST(pairing, one_session_against_the_same_server_is_comparable) {
  const auto cpp = cpp_file("vm", boot, "2026-11-27T09:24:14+00:00");
  const auto py = python_file("vm", boot, "2026-11-27T09:34:23.5", "poolbench-server");
  EXPECT_EQ(not_comparable_reason(cpp, py), std::nullopt);
  const auto claims = compute_claims({cpp, py});
  ASSERT_EQ(claims.languages.size(), 1u);
  EXPECT_TRUE(claims.not_comparable.empty());
  EXPECT_NEAR(claims.languages[0].estimate.ratio, 5.03e-3 / 1e-3, 0.05);
}

TEST(pairing, both_polling_is_comparable_and_a_file_without_the_key_halted) {
  const auto cpp = with_cpu_idle(cpp_file("vm", boot, "2026-11-27T09:24:14+00:00"), "poll");
  const auto py =
      with_cpu_idle(python_file("vm", boot, "2026-11-27T09:34:23.5", "poolbench-server"), "poll");
  EXPECT_EQ(not_comparable_reason(cpp, py), std::nullopt);
  const auto old_py = python_file("vm", boot, "2026-11-27T09:34:23.5", "poolbench-server");
  EXPECT_EQ(not_comparable_reason(cpp, old_py), "idle CPUs poll vs os (--cpu-idle)");
  EXPECT_EQ(not_comparable_reason(cpp_file("vm", boot, "2026-11-27T09:24:14+00:00"),
                                  with_cpu_idle(old_py, "os")),
            std::nullopt);
}

TEST(pairing, each_difference_is_named) {
  const auto cpp = cpp_file("vm", boot, "2026-11-27T09:24:14+00:00");
  struct variant {
    result_file py;
    const char* reason;
  };
  const variant variants[] = {
      {python_file("other", boot, "2026-11-27T09:34:23", "poolbench-server"),
       "different hosts: vm vs other"},
      {python_file("vm", "another-boot", "2026-11-27T09:34:23", "poolbench-server"),
       "different boots"},
      {python_file("vm", boot, "2026-11-29T10:24:15", "poolbench-server"),
       "started 49.0 h apart (more than 1.0 h)"},
      {python_file("vm", boot, "2026-11-27T09:34:23", "TornadoServer/6.2"),
       "different servers: poolbench-server vs TornadoServer"},
      {with_cpu_idle(python_file("vm", boot, "2026-11-27T09:34:23", "poolbench-server"), "poll"),
       "idle CPUs os vs poll (--cpu-idle)"},
      {python_file("vm", boot, "", "poolbench-server"), "start time not recorded"},
      {python_file("vm", "", "2026-11-27T09:34:23", "poolbench-server"), "boot id not recorded"},
      {python_file("vm", boot, "2026-11-27T09:34:23", "unknown (connection refused)"),
       "server software not recorded"},
  };
  for (const auto& v : variants) {
    const auto why = not_comparable_reason(cpp, v.py);
    ASSERT_TRUE(why.has_value()) << v.reason;
    EXPECT_EQ(*why, v.reason);
    const auto claims = compute_claims({cpp, v.py});
    EXPECT_TRUE(claims.languages.empty()) << v.reason;
    ASSERT_EQ(claims.not_comparable.size(), 1u);
    EXPECT_EQ(
        claims.not_comparable[0],
        std::string("not comparable: python-reference.json (Python) and latest.json (C++): ") +
            v.reason);
    EXPECT_TRUE(
        claims.unmatched_python.empty());  // it had a counterpart, just not a comparable one
  }
}

TEST(pairing, an_external_server_is_unknown_and_the_page_says_not_comparable_instead_of_a_factor) {
  const auto cpp = cpp_file("vm", boot, "2026-11-27T09:24:14+00:00", "external");
  const auto py = python_file("vm", boot, "2026-11-27T09:34:23", "poolbench-server");
  EXPECT_EQ(not_comparable_reason(cpp, py), "server software not recorded");
  std::ostringstream page;
  write_claims_markdown(page, compute_claims({cpp, py}));
  EXPECT_EQ(page.str().find("Python / C++"), std::string::npos) << page.str();
  EXPECT_NE(page.str().find("\nnot comparable: python-reference.json (Python) and latest.json "
                            "(C++): server software not recorded\n"),
            std::string::npos)
      << page.str();
  std::ostringstream terminal;
  print_summary(terminal, compute_claims({cpp, py}));
  EXPECT_NE(terminal.str().find("\nnot comparable: "), std::string::npos) << terminal.str();
  EXPECT_EQ(terminal.str().find("Python/C++"), std::string::npos) << terminal.str();
}

}  // namespace
}  // namespace poolbench::report
