// Idle CPUs that poll for a run: the request written is the PM QoS one (a
// binary 32-bit 0), it is held exactly as long as the hold lives, auto falls
// back with its reason and poll refuses. A regular file stands in for
// /dev/cpu_dma_latency (which only root may open), so no test changes the
// machine's idle states.
#include <poolbench/runner/cpu_idle.hpp>

#include "unique_temp_path.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace poolbench::runner {
namespace {

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// This process's open descriptors that point at `path`.
int open_count(const std::string& path) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(entry.path(), ec) == std::filesystem::path(path))
      ++count;
  }
  return count;
}

TEST(cpu_idle, poll_writes_a_binary_zero_and_holds_it_while_the_hold_lives) {
  const auto device = testing::unique_temp_path("cpu_dma_latency");
  { std::ofstream create(device); }
  {
    const cpu_idle_hold hold(cpu_idle_choice::poll, device);
    EXPECT_TRUE(hold.polling());
    EXPECT_EQ(hold.mode(), "poll");
    EXPECT_EQ(contents(device), std::string(sizeof(std::int32_t), '\0'));
    EXPECT_EQ(open_count(device), 1);  // the request lasts as long as this descriptor
    EXPECT_NE(hold.reason().find("held at 0 us"), std::string::npos) << hold.reason();
  }
  EXPECT_EQ(open_count(device), 0);  // closed: the kernel drops the request
  std::filesystem::remove(device);
}

TEST(cpu_idle, a_moved_hold_keeps_the_one_request) {
  const auto device = testing::unique_temp_path("cpu_dma_latency");
  { std::ofstream create(device); }
  {
    cpu_idle_hold first(cpu_idle_choice::poll, device);
    const cpu_idle_hold second(std::move(first));
    EXPECT_TRUE(second.polling());
    EXPECT_EQ(open_count(device), 1);
  }
  EXPECT_EQ(open_count(device), 0);
  std::filesystem::remove(device);
}

TEST(cpu_idle, auto_falls_back_to_the_os_states_with_the_reason) {
  const auto missing = testing::unique_temp_path("no_such_device");
  const cpu_idle_hold hold(cpu_idle_choice::automatic, missing);
  EXPECT_FALSE(hold.polling());
  EXPECT_EQ(hold.mode(), "os");
  EXPECT_NE(hold.reason().find("cannot open " + missing), std::string::npos) << hold.reason();
}

TEST(cpu_idle, poll_is_refused_in_one_line_when_it_cannot_be_had) {
  const auto missing = testing::unique_temp_path("no_such_device");
  try {
    const cpu_idle_hold hold(cpu_idle_choice::poll, missing);
    FAIL() << "poll was granted without a device";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("--cpu-idle poll: cannot open", 0), 0u) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos);
  }
}

TEST(cpu_idle, os_leaves_the_device_alone) {
  const auto device = testing::unique_temp_path("cpu_dma_latency");
  { std::ofstream create(device); }
  const cpu_idle_hold hold(cpu_idle_choice::os, device);
  EXPECT_FALSE(hold.polling());
  EXPECT_EQ(open_count(device), 0);
  EXPECT_TRUE(contents(device).empty());
  std::filesystem::remove(device);
}

TEST(cpu_idle, choices_parse_and_others_are_refused) {
  EXPECT_EQ(parse_cpu_idle_choice("auto"), cpu_idle_choice::automatic);
  EXPECT_EQ(parse_cpu_idle_choice("poll"), cpu_idle_choice::poll);
  EXPECT_EQ(parse_cpu_idle_choice("os"), cpu_idle_choice::os);
  EXPECT_THROW((void)parse_cpu_idle_choice("halt"), std::invalid_argument);
}

}  // namespace
}  // namespace poolbench::runner
