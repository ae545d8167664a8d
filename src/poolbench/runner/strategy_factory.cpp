#include <poolbench/runner/strategy_factory.hpp>

#include <poolbench/runner/strategy_registry.hpp>

#include <stdexcept>
#include <string>

namespace poolbench::runner {

std::unique_ptr<client_strategy> make_strategy(const bench_case& c, const http::url& server,
                                               http::client_options options) {
  if (c.names.empty())
    throw std::invalid_argument("a batch needs at least one name");
  if (c.workers == 0)
    throw std::invalid_argument("workers must be at least 1");
  const auto* factory = find_factory(c.strategy);
  if (factory == nullptr)
    throw std::invalid_argument("unknown strategy '" + std::string(c.strategy.name()) +
                                "' (not registered in this program)");
  return (*factory)(c, server, options);
}

}  // namespace poolbench::runner
