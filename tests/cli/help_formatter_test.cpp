// poolbench::cli on CLI11 apps built here: wrapping, value names in place
// of CLI11's type names, the footer, and one-line parse errors.

#include <poolbench/cli/help_formatter.hpp>
#include <poolbench/cli/parse_error.hpp>
#include <poolbench/cli/text_wrap.hpp>
#include <poolbench/cli/value_name.hpp>
#include <poolbench/cli/version.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <sstream>

namespace {

namespace cli = poolbench::cli;

std::size_t longest_line(const std::string& text) {
  std::istringstream in(text);
  std::size_t longest = 0;
  for (std::string line; std::getline(in, line);)
    longest = std::max(longest, line.size());
  return longest;
}

// `text` with each line break and the indent after it as one space: a
// phrase found in it reads so in the help, however it wrapped.
std::string flat(const std::string& text) {
  std::string out;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] != '\n') {
      out += text[k];
      continue;
    }
    out += ' ';
    while (k + 1 < text.size() && text[k + 1] == ' ')
      ++k;
  }
  return out;
}

// Options shaped like the poolbench runner's (the ones issue 20 quotes).
struct runner_like {
  CLI::App app{"poolbench: a benchmark with a long description that must wrap at the width"};
  std::size_t batch = 3;
  std::vector<std::size_t> workers;
  std::string keepalive = "off", names;
  double min_time = 0.2;
  runner_like() {
    app.add_option("--batch", batch, "Batch of N generated names instead of --names")
        ->capture_default_str()
        ->check(CLI::Range(1, 1'000'000));
    app.add_option("--workers", workers, "Pool sizes to run (list)")->check(CLI::Range(1, 4096));
    app.add_flag("--keepalive{on}", keepalive, "Reuse each worker's connection")
        ->check(CLI::IsMember({"on", "off", "both"}));
    app.add_option("--min-time", min_time, "Seconds per repetition")
        ->check(CLI::Range(0.0, 3600.0));
    app.add_option("--names", names, "Names of one batch")->option_text("NAME,...");
  }
  const CLI::Option& option(const std::string& name) { return *app.get_option(name); }
};

TEST(TextWrap, KeepsWordsWholeAndEveryLineWithinTheWidth) {
  const auto lines = cli::wrap("one two three four five six seven eight nine ten", 12);
  ASSERT_GE(lines.size(), 4u);
  for (const auto& line : lines)
    EXPECT_LE(line.size(), 12u) << line;
  EXPECT_EQ(lines.front(), "one two");
  EXPECT_EQ(cli::wrap("a\n  indented example here", 12),
            (std::vector<std::string>{"a", "  indented", "  example", "  here"}));
  EXPECT_EQ(cli::wrap("averyveryverylongword x", 5),
            (std::vector<std::string>{"averyveryverylongword", "x"}));
  // A long list breaks after its commas rather than running past the width.
  EXPECT_EQ(cli::wrap("Columns: min,max,mean,stddev,median;", 12),
            (std::vector<std::string>{"Columns:", "min,max,", "mean,stddev,", "median;"}));
  EXPECT_TRUE(cli::wrap("", 10).empty());
}

TEST(ValueName, PlainNamesInsteadOfCli11TypeNoise) {
  runner_like r;
  EXPECT_EQ(cli::describe_value(r.option("--batch")).name, "N");
  EXPECT_EQ(cli::describe_value(r.option("--batch")).note, "1 to 1000000");
  EXPECT_EQ(cli::describe_value(r.option("--workers")).name, "N ...");
  EXPECT_EQ(cli::describe_value(r.option("--min-time")).name, "X");
  EXPECT_EQ(cli::describe_value(r.option("--keepalive")).name, "[={on,off,both}]");
  EXPECT_EQ(cli::describe_value(r.option("--names")).name, "NAME,...");
}

TEST(HelpFormatter, FitsTheWidthWithoutTypeNoiseAndEndsWithTheExitCodes) {
  for (const std::size_t width : {60u, 80u, 100u}) {
    runner_like r;
    r.app.formatter(std::make_shared<cli::help_formatter>(width, "Exit codes: 0 ok, 2 bad usage."));
    const std::string help = r.app.help();
    EXPECT_LE(longest_line(help), width) << help;
    const std::string words = flat(help);
    EXPECT_EQ(help.find("UINT"), std::string::npos) << help;
    EXPECT_EQ(help.find("INT in ["), std::string::npos) << help;
    EXPECT_EQ(help.find("{on}"), std::string::npos) << help;
    // The set once, the range and default in words.
    const auto set = help.find("{on,off,both}");
    ASSERT_NE(set, std::string::npos) << help;
    EXPECT_EQ(help.find("{on,off,both}", set + 1), std::string::npos) << help;
    EXPECT_NE(words.find("--batch N"), std::string::npos) << help;
    EXPECT_NE(words.find("(1 to 1000000)"), std::string::npos) << help;
    EXPECT_NE(words.find("[default: 3]"), std::string::npos) << help;
    EXPECT_NE(words.find("[alone: on]"), std::string::npos) << help;
    const std::string footer = "Exit codes: 0 ok, 2 bad usage.\n";
    ASSERT_GE(help.size(), footer.size());
    EXPECT_EQ(help.substr(help.size() - footer.size()), footer) << help;
  }
}

// What a parse of `args` throws, as parse_error_message words it.
std::string message_for(CLI::App& app, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return cli::parse_error_message(app, e);
  }
  return "(parsed)";
}

TEST(ParseError, NamesTheUnknownCommandAndTheValidOnes) {
  CLI::App app{"x"};
  app.require_subcommand(1);
  app.add_subcommand("show", "");
  app.add_subcommand("merge", "");
  EXPECT_EQ(message_for(app, {"bogus"}), "unknown command 'bogus' (commands: show, merge)");
  CLI::App again{"x"};
  again.require_subcommand(1);
  again.add_subcommand("show", "");
  EXPECT_EQ(message_for(again, {}), "a command is required: show");
}

TEST(ParseError, NamesAnUnknownOptionAndAWordGivenForANumber) {
  runner_like r;
  EXPECT_EQ(message_for(r.app, {"--bogus"}), "unknown option '--bogus'");
  runner_like again;
  EXPECT_EQ(message_for(again.app, {"--batch", "abc"}),
            "--batch: 'abc' is not a number (range 1 to 1000000)");
  runner_like range;
  // A number out of range keeps CLI11's words, which are right then.
  EXPECT_NE(message_for(range.app, {"--batch", "0"}).find("not in range"), std::string::npos);
}

TEST(Version, NamesTheProgramTheVersionAndTheCommit) {
  const auto line = cli::version_line("poolbench-x");
  EXPECT_EQ(line.rfind("poolbench-x " POOLBENCH_VERSION " (git ", 0), 0u) << line;
}

}  // namespace
