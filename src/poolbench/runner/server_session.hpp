#pragma once
// The server of a run: the one --url names, or the embedded poolbench-server
// started as a child process and stopped on every exit path, signals
// included.

#include <poolbench/runner/backend_model.hpp>
#include <poolbench/runner/embedded_server.hpp>

#include <poolbench/http/url.hpp>

#include <sys/types.h>
#include <memory>
#include <string>
#include <vector>

namespace poolbench::runner {

class server_session {
 public:
  // `url` empty: start poolbench-server (found next to this binary) with
  // `threads` threads, its --io-model `io_model` and the backend `model`,
  // pinned to `cpus` when not empty; with `stats`, it serves its counts at
  // embedded_stats_path (server_stats.hpp). Throws std::runtime_error (or
  // http::url's std::invalid_argument) with a one-line reason.
  server_session(const std::string& url, std::size_t threads, const std::vector<int>& cpus,
                 const std::string& io_model = "shared", const backend_model& model = {},
                 bool stats = false);
  ~server_session() { stop(); }
  server_session(const server_session&) = delete;
  server_session& operator=(const server_session&) = delete;

  [[nodiscard]] const http::url& url() const { return url_; }
  [[nodiscard]] bool embedded() const { return embedded_ != nullptr; }
  // Where the embedded server serves its counts; empty when it does not.
  [[nodiscard]] const std::string& stats_path() const { return stats_path_; }
  // Every request's path from now on: `path_template` ("/api/v1/users/{name}",
  // http::url::with_path_template). Throws std::invalid_argument when the
  // template is not one, or the server URL has a path of its own.
  void use_path_template(const std::string& path_template);
  // The embedded server's process, for its CPU counters; -1 with --url.
  [[nodiscard]] pid_t pid() const { return embedded_ ? embedded_->pid() : -1; }
  // Stops the embedded server and reaps it (idempotent).
  void stop();

 private:
  std::unique_ptr<embedded_server> embedded_;
  http::url url_;
  std::string stats_path_;
};

}  // namespace poolbench::runner
