// process_pool_executor against the floor of any pre-forked design: one
// worker answering length-prefixed messages over a socket, no executor at
// all. The target: round trip <= 1.5x the raw ping-pong.

#include "batch_size.hpp"

#include <poolbench/executor/process_pool_executor.hpp>

#include <benchmark/benchmark.h>

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using poolbench::executor_bench::batch;

void noop() {}

bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);
    if (k <= 0) {
      return false;
    }
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

bool read_all(int fd, char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::read(fd, p, n);
    if (k <= 0) {
      return false;
    }
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

// A worker process that answers each [u32 len][body] with [u32 1][status]:
// the same framing and sizes as the pool's protocol, minus everything else.
class raw_worker {
 public:
  raw_worker() {
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
      throw std::runtime_error("socketpair");
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ends[0]);
      serve(ends[1]);
    }
    ::close(ends[1]);
    fd_ = ends[0];
  }
  ~raw_worker() {
    ::close(fd_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  raw_worker(const raw_worker&) = delete;
  raw_worker& operator=(const raw_worker&) = delete;

  void send_request() {
    // 4 + thunk + function pointer, as the pool sends for a no-argument task.
    char request[4 + 16] = {};
    const std::uint32_t length = 16;
    std::memcpy(request, &length, 4);
    write_all(fd_, request, sizeof request);
  }
  void read_reply() {
    char reply[5];
    read_all(fd_, reply, sizeof reply);
  }

 private:
  [[noreturn]] static void serve(int fd) {
    std::string body;
    for (;;) {
      std::uint32_t length = 0;
      if (!read_all(fd, reinterpret_cast<char*>(&length), 4)) {
        ::_exit(0);
      }
      body.resize(length);
      if (!read_all(fd, body.data(), length)) {
        ::_exit(0);
      }
      const char reply[5] = {1, 0, 0, 0, 0};
      if (!write_all(fd, reply, sizeof reply)) {
        ::_exit(0);
      }
    }
  }

  pid_t pid_ = -1;
  int fd_ = -1;
};

void raw_pipe_ping_pong_round_trip(benchmark::State& state) {
  raw_worker worker;
  for (auto _ : state) {
    worker.send_request();
    worker.read_reply();
  }
  state.SetItemsProcessed(state.iterations());
}

void process_executor_round_trip(benchmark::State& state) {
  poolbench::process_pool_executor pool(1);
  for (auto _ : state) {
    pool.submit(&noop).get();
  }
  state.SetItemsProcessed(state.iterations());
}

// The raw floor for a batch: two workers, each sent its share of the batch
// in one go, then every reply read (no queue, no futures).
void raw_pipe_batch(benchmark::State& state) {
  raw_worker a;
  raw_worker b;
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch / 2; ++i) {
      a.send_request();
      b.send_request();
    }
    for (std::size_t i = 0; i < batch / 2; ++i) {
      a.read_reply();
      b.read_reply();
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void process_executor_batch(benchmark::State& state) {
  poolbench::process_pool_executor pool(2);
  std::vector<std::future<void>> futures;
  futures.reserve(batch);
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      futures.push_back(pool.submit(&noop));
    }
    for (auto& f : futures) {
      f.get();
    }
    futures.clear();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

}  // namespace

BENCHMARK(raw_pipe_ping_pong_round_trip)->UseRealTime();
BENCHMARK(process_executor_round_trip)->UseRealTime();
BENCHMARK(raw_pipe_batch)->UseRealTime();
BENCHMARK(process_executor_batch)->UseRealTime();
