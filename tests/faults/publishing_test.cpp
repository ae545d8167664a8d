// Publishing results: the claims are that a result file is never written in
// place (a reader sees the old file or the complete new one, never a torn
// one), and that scripts/bench replaces a published file only after a run in
// which every case measured. Both are checked through behaviour: the inode
// and contents a reader holding the old file sees, and what scripts/bench
// leaves in results/ after a failed and a successful run.

#include "fake_server.hpp"
#include "fault_support.hpp"
#include "server_process.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace poolbench::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string read_fd(int fd) {
  std::string text;
  char buf[4096];
  ssize_t n;
  off_t at = 0;
  while ((n = pread(fd, buf, sizeof buf, at)) > 0) {
    text.append(buf, static_cast<std::size_t>(n));
    at += n;
  }
  return text;
}

void write_file(const fs::path& path, const std::string& text, bool executable = false) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  if (executable)
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add);
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// An in-place write (truncate + write the same inode) is what lets a reader
// see a half-written file, and an interrupted one leave it behind. The new
// file must come from a rename: a new inode at the destination, while the
// old inode, still open here and hard-linked beside it, keeps every byte of
// the previous results.
TEST(publishing, the_result_file_is_replaced_by_rename_never_rewritten_in_place) {
  const fs::path dir = fresh_dir("publish_rename");
  const fs::path dest = dir / "latest.json";
  const std::string before = "{\"the\": \"previous results\"}\n";
  write_file(dest, before);
  fs::create_hard_link(dest, dir / "previous.json");
  const int held = open(dest.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(held, 0);
  struct stat old_stat {};
  ASSERT_EQ(fstat(held, &old_stat), 0);

  const auto run = run_program(POOLBENCH_PATH,
                               {"--quick", "--strategies", "serial", "--names", "romeo", "--modes",
                                "warm", "--out", dest.string()},
                               240s);
  ASSERT_EQ(run.exit_code, 0) << run.err;

  struct stat new_stat {};
  ASSERT_EQ(stat(dest.c_str(), &new_stat), 0);
  EXPECT_NE(new_stat.st_ino, old_stat.st_ino) << "the result file was rewritten in place";
  EXPECT_EQ(read_fd(held), before) << "the old file changed under a reader";
  EXPECT_EQ(read_all(dir / "previous.json"), before);
  close(held);
  const auto doc = nlohmann::json::parse(read_all(dest));
  EXPECT_FALSE(doc["benchmarks"].empty());
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir))
    left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"latest.json", "previous.json"}))
      << "scratch files left behind";
  fs::remove_all(dir);
}

// scripts/bench, copied verbatim into a scratch tree whose results/ holds the
// "published" files. Around it: a no-op scripts/setup and cmake (nothing to
// install or build), scripts/render-results that only records it ran, and a
// BUILD_DIR whose poolbench runs the real one with a quick, small run in
// place of the default experiment (keeping the --out scripts/bench gives),
// against POOLBENCH_TEST_URL when set.
class bench_script : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fresh_dir("publish_bench_" +
                      std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(root_ / "scripts");
    fs::copy_file(fs::path(POOLBENCH_SOURCE_DIR) / "scripts" / "bench",
                  root_ / "scripts" / "bench");
    write_file(root_ / "scripts" / "setup", "#!/bin/sh\nexit 0\n", true);
    write_file(root_ / "scripts" / "render-results", "#!/bin/sh\ntouch rendered\n", true);
    write_file(root_ / "bin" / "cmake", "#!/bin/sh\nexit 0\n", true);
    // The Python reference between the two loops: its own tests cover it.
    write_file(root_ / "scripts" / "reference" / "run", "#!/bin/sh\nexit 0\n", true);
    fs::create_directories(root_ / "build" / "server");
    fs::create_symlink(POOLBENCH_SERVER_PATH, root_ / "build" / "server" / "poolbench-server");
    write_file(
        root_ / "build" / "bench" / "runner" / "poolbench",
        "#!/bin/sh\n"
        "out= only=\n"
        "while [ $# -gt 0 ]; do\n"
        "  if [ \"$1\" = --out ]; then out=$2; shift; fi\n"
        "  if [ \"$1\" = --out-only-if-all-measured ]; then only=$1; fi\n"
        "  shift\n"
        "done\n"
        "[ -n \"$out\" ] || { echo 'fake poolbench: no --out' >&2; exit 2; }\n"
        "set -- --quick --strategies serial --names romeo --modes warm --out \"$out\" $only\n"
        "[ -z \"$POOLBENCH_TEST_URL\" ] || set -- \"$@\" --url \"$POOLBENCH_TEST_URL\"\n"
        "exec '" POOLBENCH_PATH "' \"$@\"\n",
        true);
    write_file(root_ / "results" / "latest.json", closed_before_);
    write_file(root_ / "results" / "open-loop.json", open_before_);
  }
  void TearDown() override { fs::remove_all(root_); }

  run_result run_bench(const std::string& url) {
    const std::string path = (root_ / "bin").string() + ":/usr/bin:/bin";
    return run_program(
        "/usr/bin/env",
        {"PATH=" + path, "BUILD_DIR=" + (root_ / "build").string(), "POOLBENCH_TEST_URL=" + url,
         // --allow-busy: a loaded test machine must not refuse; the noise
         // guard's refusal has its own test (tests/scripts).
         "bash", (root_ / "scripts" / "bench").string(), "--allow-busy"},
        240s);
  }
  [[nodiscard]] std::vector<std::string> results_dir() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(root_ / "results"))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path root_;
  const std::string closed_before_ = "{\"published\": \"closed loop\"}\n";
  const std::string open_before_ = "{\"published\": \"open loop\"}\n";
};

// Every case fails (a server answering the wrong name): poolbench writes its
// file with the errors in it and exits 1; the published files stay as they
// were, no candidate is left, and the page is not regenerated.
TEST_F(bench_script, a_run_with_a_failed_case_leaves_the_published_files_alone) {
  fake_server wrong([](std::string_view) {
    return fake_reply{fake_reply::action::answer, raw_http_response(200, "Hello, tybalt")};
  });
  const auto run = run_bench(wrong.url());
  EXPECT_NE(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("results/latest.json left as it was"), std::string::npos) << run.err;
  EXPECT_EQ(read_all(root_ / "results" / "latest.json"), closed_before_);
  EXPECT_EQ(read_all(root_ / "results" / "open-loop.json"), open_before_);
  EXPECT_EQ(results_dir(), (std::vector<std::string>{"latest.json", "open-loop.json"}));
  EXPECT_FALSE(fs::exists(root_ / "rendered"));
}

// The control: the same tree with a working server publishes every file
// (complete result files from poolbench: the closed and open loops and the
// three backend experiments) and regenerates the page.
TEST_F(bench_script, a_run_in_which_every_case_measured_publishes_every_file) {
  server_process server(POOLBENCH_SERVER_PATH);
  const auto run = run_bench(server.url());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> published{"latest.json", "limited-api.json", "long-tail.json",
                                           "open-loop.json", "overload.json"};
  for (const auto& name : published) {
    const auto doc = nlohmann::json::parse(read_all(root_ / "results" / name));
    EXPECT_FALSE(doc["benchmarks"].empty()) << name;
    for (const auto& r : doc["benchmarks"])
      EXPECT_FALSE(r.value("error_occurred", false)) << name << ": " << r.dump();
  }
  EXPECT_EQ(results_dir(), published);
  EXPECT_TRUE(fs::exists(root_ / "rendered"));
}

}  // namespace
}  // namespace poolbench::testing
