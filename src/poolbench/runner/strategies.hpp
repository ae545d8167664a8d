#pragma once
// Internal: one factory per strategy, one file each (serial_strategy.cpp,
// thread_pool_strategy.cpp, process_pool_strategy.cpp, async_pool_strategy.cpp,
// floor_strategy.cpp, unbounded_strategy.cpp); make_strategy
// (strategy_factory.hpp) picks one.

#include <poolbench/runner/client_strategy.hpp>

#include <memory>

namespace poolbench::runner {

[[nodiscard]] std::unique_ptr<client_strategy> make_serial_strategy(
    const bench_case& c, const http::url& server, const http::client_options& options);
[[nodiscard]] std::unique_ptr<client_strategy> make_thread_pool_strategy(
    const bench_case& c, const http::url& server, const http::client_options& options);
[[nodiscard]] std::unique_ptr<client_strategy> make_process_pool_strategy(
    const bench_case& c, const http::url& server, const http::client_options& options);
[[nodiscard]] std::unique_ptr<client_strategy> make_async_pool_strategy(
    const bench_case& c, const http::url& server, const http::client_options& options);
// The floor (floor_strategy.cpp): the least a client can do, not an executor.
[[nodiscard]] std::unique_ptr<client_strategy> make_floor_strategy(
    const bench_case& c, const http::url& server, const http::client_options& options);
// The whole batch in flight on the async client, no pool (unbounded_strategy.cpp).
[[nodiscard]] std::unique_ptr<client_strategy> make_unbounded_strategy(
    const bench_case& c, const http::url& server, const http::client_options& options);

}  // namespace poolbench::runner
