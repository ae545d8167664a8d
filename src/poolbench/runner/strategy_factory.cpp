#include <poolbench/runner/strategy_factory.hpp>

#include <poolbench/runner/strategies.hpp>

#include <stdexcept>

namespace poolbench::runner {

std::unique_ptr<client_strategy> make_strategy(const bench_case& c, const http::url& server,
                                               http::client_options options) {
  if (c.names.empty())
    throw std::invalid_argument("a batch needs at least one name");
  if (c.workers == 0)
    throw std::invalid_argument("workers must be at least 1");
  switch (c.strategy) {
    case strategy::serial:
      return make_serial_strategy(c, server, options);
    case strategy::thread_pool:
      return make_thread_pool_strategy(c, server, options);
    case strategy::process_pool:
      return make_process_pool_strategy(c, server, options);
    case strategy::async_pool:
      return make_async_pool_strategy(c, server, options);
    case strategy::floor:
      return make_floor_strategy(c, server, options);
    case strategy::unbounded:
      return make_unbounded_strategy(c, server, options);
  }
  throw std::logic_error("unknown strategy");
}

}  // namespace poolbench::runner
