#include "strategy_runner.hpp"

#include "floor_strategy.hpp"
#include "pool_strategies.hpp"
#include "strategy_support.hpp"

#include <poolbench/executor/errors.hpp>
#include <poolbench/http/response_check.hpp>

#include <stdexcept>

namespace poolbench::runner {

std::string detail::describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const broken_pool& e) {
    return std::string("broken_pool: ") + e.what();
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

std::vector<request_outcome> strategy_runner::run_open_loop(const open_loop_plan&) {
  throw std::invalid_argument("this strategy has no pool to run open-loop");
}

std::unique_ptr<strategy_runner> make_strategy_runner(const bench_case& c, const http::url& server,
                                                      http::client_options options) {
  if (c.names.empty())
    throw std::invalid_argument("a batch needs at least one name");
  if (c.workers == 0)
    throw std::invalid_argument("workers must be at least 1");
  switch (c.strategy) {
    case strategy::serial:
      return make_serial_runner(c, server, options);
    case strategy::thread_pool:
      return make_thread_pool_runner(c, server, options);
    case strategy::process_pool:
      return make_process_pool_runner(c, server, options);
    case strategy::async_pool:
      return make_async_pool_runner(c, server, options);
    case strategy::floor:
      return make_floor_runner(c, server, options);
  }
  throw std::logic_error("unknown strategy");
}

void verify_round(const bench_case& c, const http::url& server, const round_result& result) {
  if (result.bodies.size() != c.names.size()) {
    throw std::runtime_error("expected " + std::to_string(c.names.size()) + " responses, got " +
                             std::to_string(result.bodies.size()));
  }
  for (std::size_t i = 0; i < c.names.size(); ++i) {
    const auto expected = http::expected_body(c.names[i]);
    if (result.bodies[i] != expected) {
      throw std::runtime_error("GET http://" + server.authority() +
                               server.hello_target(c.names[i], c.delay_ms) + ": response " +
                               std::to_string(i + 1) + " of the batch is '" +
                               http::printable_excerpt(result.bodies[i]) + "', expected '" +
                               expected + "' (out of order?)");
    }
  }
}

}  // namespace poolbench::runner
