// serial: one request after another, no pool; the baseline.

#include <poolbench/runner/strategies.hpp>
#include <poolbench/runner/strategy_support.hpp>

#include <poolbench/http/sync_client.hpp>

namespace poolbench::runner {
namespace {

using namespace detail;

class serial_strategy final : public client_strategy {
 public:
  serial_strategy(const bench_case& c, const http::url& server, http::client_options options)
      : case_(c), client_(server, client_options_for(c, options)) {}

  round_result run_round() override {
    round_result result;
    result.reserve(case_.names.size());
    const auto submit = steady_now_ns();
    for (const auto& name : case_.names) {
      // The batch waits behind the requests before it: that is its queue time.
      const auto start = steady_now_ns();
      auto body = client_.get_hello(name, case_.delay_ms);
      add(result, {std::move(body), start, steady_now_ns(), client_.last_attempts()}, submit);
    }
    return result;
  }

 private:
  bench_case case_;
  http::sync_client client_;
};

}  // namespace

std::unique_ptr<client_strategy> make_serial_strategy(const bench_case& c, const http::url& server,
                                                      const http::client_options& options) {
  return std::make_unique<serial_strategy>(c, server, options);
}

}  // namespace poolbench::runner
