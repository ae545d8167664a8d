#include <poolbench/runner/server_session.hpp>

#include <iostream>

namespace poolbench::runner {

server_session::server_session(const std::string& url, std::size_t threads,
                               const std::vector<int>& cpus, const std::string& io_model) {
  if (!url.empty()) {
    url_ = http::url::parse(url);
    return;
  }
  embedded_ =
      std::make_unique<embedded_server>(server_binary_next_to_self(), threads, cpus, io_model);
  stop_child_on_signal(embedded_->pid());
  std::cerr << "poolbench: started poolbench-server (pid " << embedded_->pid() << ") at "
            << embedded_->url() << "\n";
  url_ = http::url::parse(embedded_->url());
}

void server_session::stop() {
  if (!embedded_)
    return;
  embedded_->stop();
  stop_child_on_signal(-1);
}

}  // namespace poolbench::runner
