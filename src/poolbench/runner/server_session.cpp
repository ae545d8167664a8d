#include <poolbench/runner/server_session.hpp>
#include <poolbench/runner/server_stats.hpp>

#include <iostream>
#include <stdexcept>

namespace poolbench::runner {

server_session::server_session(const std::string& url, std::size_t threads,
                               const std::vector<int>& cpus, const std::string& io_model,
                               const backend_model& model, bool stats) {
  if (!url.empty()) {
    url_ = http::url::parse(url);
    return;
  }
  auto extra_args = model.server_arguments();
  if (stats) {
    stats_path_ = std::string(embedded_stats_path);
    extra_args.insert(extra_args.end(), {"--stats-path", stats_path_});
  }
  embedded_ = std::make_unique<embedded_server>(server_binary_next_to_self(), threads, cpus,
                                                io_model, std::chrono::seconds(10), extra_args);
  stop_child_on_signal(embedded_->pid());
  std::cerr << "poolbench: started poolbench-server (pid " << embedded_->pid() << ") at "
            << embedded_->url() << "\n";
  url_ = http::url::parse(embedded_->url());
}

void server_session::use_path_template(const std::string& path_template) {
  if (url_.path != "/")
    throw std::invalid_argument("--path '" + path_template + "' and the path of --url " +
                                url_.to_string() + ": give the path once");
  url_ = url_.with_path_template(path_template);
}

void server_session::stop() {
  if (!embedded_)
    return;
  embedded_->stop();
  stop_child_on_signal(-1);
}

}  // namespace poolbench::runner
