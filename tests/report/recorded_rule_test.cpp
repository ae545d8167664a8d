// Claims follow the sequential rule the file's runner recorded
// (context.sequential.settings): its first look, its later totals and its
// alpha split; the defaults only for files without the record; a corrupt
// record is a clear load error naming the file; an explicit margin wins and
// the page says so.

#include "test_support.hpp"

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/input/recorded_rule.hpp>
#include <poolbench/report/page/summary.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

namespace {

namespace report = poolbench::report;
using report::testing::around;

std::vector<double> first(std::vector<double> values, std::size_t n) {
  values.resize(n);
  return values;
}

std::vector<double> joined(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Two workloads, 10 repetitions a side: "clear" is decided by any 5,
// "late" is noise for its first 5 and 40% apart after them.
nlohmann::json document(const nlohmann::json& sequential) {
  const std::vector<std::pair<std::string, std::vector<double>>> benchmarks = {
      {"thread_pool/warm/batch:3/workers:3/delay_ms:0",
       joined(first(around(10e-3), 5), first(around(10e-3), 5))},
      {"async_pool/warm/batch:3/workers:3/delay_ms:0",
       joined(first(around(12e-3), 5), first(around(12e-3), 5))},
      {"thread_pool/warm/batch:10/workers:4/delay_ms:0",
       joined(first(around(10e-3, 0.3), 5), first(around(10e-3), 5))},
      {"async_pool/warm/batch:10/workers:4/delay_ms:0",
       joined(first(around(10.3e-3, 0.3), 5), first(around(14e-3), 5))},
  };
  nlohmann::json doc;
  doc["context"] = {{"git_revision", "synthetic"}};
  if (!sequential.is_null())
    doc["context"]["sequential"] = sequential;
  doc["benchmarks"] = nlohmann::json::array();
  for (const auto& [name, means] : benchmarks) {
    for (double m : means)
      doc["benchmarks"].push_back(
          {{"name", name}, {"run_type", "iteration"}, {"real_time", m}, {"time_unit", "s"}});
  }
  return doc;
}

nlohmann::json record(const nlohmann::json& settings) {
  return {{"settings", settings}, {"budget_seconds", 60}, {"extensions", nlohmann::json::array()}};
}

const nlohmann::json five_then_ten = {
    {"alpha", 0.05}, {"margin", 0.05}, {"first_look", 5}, {"allowed_totals", {10}}};

report::result_file parsed(const nlohmann::json& doc) {
  return report::parse_result_text(doc.dump(), "measured.json");
}

const report::workload_claim& claim_of(const report::results_claims& claims,
                                       const std::string& batch) {
  for (const auto& c : claims.workloads) {
    if (c.key.batch && std::to_string(*c.key.batch) == batch)
      return c;
  }
  throw std::runtime_error("no claim for batch " + batch);
}

TEST(RecordedRule, ClaimsAreDecidedAtTheLooksTheFileRecords) {
  const auto claims = report::compute_claims({parsed(document(record(five_then_ten)))});
  ASSERT_EQ(claims.workloads.size(), 2u);
  const auto& clear = claim_of(claims, "3");
  EXPECT_EQ(clear.look, 1u);
  EXPECT_EQ(clear.estimate.base_values, 5u);  // the defaults would look at 9
  EXPECT_EQ(clear.result, report::verdict::slower);
  const auto& late = claim_of(claims, "10");
  EXPECT_EQ(late.look, 2u);  // the defaults allow no look at 10
  EXPECT_EQ(late.estimate.base_values, 10u);
  // Two looks: each at alpha / 2, so the intervals are at 97.5%.
  EXPECT_EQ(claims.sequential.first_look, 5u);
  EXPECT_DOUBLE_EQ(report::look_confidence(claims.sequential), 0.975);
  std::ostringstream page;
  report::write_claims_markdown(page, claims);
  EXPECT_NE(page.str().find("97.5%"), std::string::npos) << page.str();
  EXPECT_NE(page.str().find("a first look at 5 repetitions a side, and a later one at 10"),
            std::string::npos)
      << page.str();
  EXPECT_NE(page.str().find("recorded in measured.json"), std::string::npos) << page.str();
}

TEST(RecordedRule, RecordedAlphaAndMarginAreUsed) {
  auto settings = five_then_ten;
  settings["alpha"] = 0.1;
  settings["margin"] = 0.5;  // 20% apart is within a 50% margin: a tie, not a win
  const auto claims = report::compute_claims({parsed(document(record(settings)))});
  EXPECT_DOUBLE_EQ(claims.rule.alpha, 0.1);
  EXPECT_DOUBLE_EQ(claims.rule.threshold, 0.5);
  EXPECT_DOUBLE_EQ(report::look_confidence(claims.sequential), 0.95);
  EXPECT_EQ(claim_of(claims, "3").result, report::verdict::same);
}

TEST(RecordedRule, FilesWithoutTheRecordUseTheDefaults) {
  const auto claims = report::compute_claims({parsed(document(nullptr))});
  const report::sequential_settings defaults;
  EXPECT_EQ(claims.sequential.first_look, defaults.first_look);
  EXPECT_EQ(claims.sequential.later_looks, defaults.later_looks);
  EXPECT_EQ(claim_of(claims, "3").estimate.base_values, 9u);
  EXPECT_NE(claims.rule_origin.find("defaults"), std::string::npos);
}

TEST(RecordedRule, AnExplicitMarginWinsAndThePageSaysSo) {
  report::rule_choice given;
  given.threshold = 0.5;
  const auto claims = report::compute_claims({parsed(document(record(five_then_ten)))}, given);
  EXPECT_DOUBLE_EQ(claims.rule.threshold, 0.5);
  EXPECT_DOUBLE_EQ(claims.rule.alpha, 0.05);    // the file's
  EXPECT_EQ(claims.sequential.first_look, 5u);  // the looks stay the file's
  EXPECT_NE(claims.rule_origin.find("margin 50% as given"), std::string::npos)
      << claims.rule_origin;
}

TEST(RecordedRule, ACorruptRecordIsALoadErrorNamingTheFile) {
  const std::vector<std::pair<std::string, nlohmann::json>> corrupt = {
      {"totals below the first look",
       record({{"alpha", 0.05}, {"margin", 0.05}, {"first_look", 5}, {"allowed_totals", {4}}})},
      {"alpha as text",
       record({{"alpha", "0.05"}, {"margin", 0.05}, {"first_look", 5}, {"allowed_totals", {10}}})},
      {"alpha out of range",
       record({{"alpha", 1.5}, {"margin", 0.05}, {"first_look", 5}, {"allowed_totals", {10}}})},
      {"negative first look",
       record({{"alpha", 0.05}, {"margin", 0.05}, {"first_look", -5}, {"allowed_totals", {10}}})},
      {"fractional total",
       record({{"alpha", 0.05}, {"margin", 0.05}, {"first_look", 5}, {"allowed_totals", {10.5}}})},
      {"no settings", nlohmann::json{{"budget_seconds", 60}}},
      {"not an object", nlohmann::json("on")},
  };
  for (const auto& [why, sequential] : corrupt) {
    try {
      (void)parsed(document(sequential));
      ADD_FAILURE() << why << ": loaded";
    } catch (const report::input_error& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("measured.json: context.sequential.settings: ", 0), 0u)
          << why << ": " << what;
    }
  }
}

TEST(RecordedRule, FilesRecordingDifferentRulesCannotShareClaims) {
  auto other = five_then_ten;
  other["first_look"] = 6;
  const auto a = parsed(document(record(five_then_ten)));
  const auto b = report::parse_result_text(document(record(other)).dump(), "other.json");
  EXPECT_THROW((void)report::compute_claims({a, b}), report::input_error);
  EXPECT_NO_THROW((void)report::compute_claims({a, a}));
}

TEST(RecordedRule, TheProgramExitsTwoOnACorruptRecord) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  report::testing::temp_dir dir;
  const auto path = dir.path() / "corrupt.json";
  report::testing::write_text(
      path,
      document(
          record({{"alpha", 0.05}, {"margin", 0.05}, {"first_look", 1}, {"allowed_totals", {10}}}))
          .dump());
  const auto r = report::testing::run_command(report::testing::report_program + " show " +
                                              report::testing::shell_quoted(path.string()));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(report::testing::line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("corrupt.json: context.sequential.settings"), std::string::npos) << r.err;
}

}  // namespace
