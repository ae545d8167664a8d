#pragma once
// The factories of the strategies, one file each (serial_strategy.cpp, ...).

#include "strategy_runner.hpp"

#include <memory>

namespace poolbench::runner {

[[nodiscard]] std::unique_ptr<strategy_runner> make_serial_runner(
    const bench_case& c, const http::url& server, const http::client_options& options);
[[nodiscard]] std::unique_ptr<strategy_runner> make_thread_pool_runner(
    const bench_case& c, const http::url& server, const http::client_options& options);
[[nodiscard]] std::unique_ptr<strategy_runner> make_process_pool_runner(
    const bench_case& c, const http::url& server, const http::client_options& options);
[[nodiscard]] std::unique_ptr<strategy_runner> make_async_pool_runner(
    const bench_case& c, const http::url& server, const http::client_options& options);

}  // namespace poolbench::runner
