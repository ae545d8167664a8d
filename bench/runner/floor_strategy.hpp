#pragma once
// The floor: the least a client can do for one round, as a measuring stick
// for the pools (not a fourth executor). Non-blocking sockets and epoll
// straight on the kernel, no pool, no Asio, every request of the batch in
// flight at once, one prebuilt request per name, the same response check as
// every strategy. Fresh connections (one per request, closed by the answer)
// or keep-alive (one per name, reused across rounds).

#include "strategy_runner.hpp"

#include <memory>

namespace poolbench::runner {

[[nodiscard]] std::unique_ptr<strategy_runner> make_floor_runner(
    const bench_case& c, const http::url& server, const http::client_options& options);

}  // namespace poolbench::runner
