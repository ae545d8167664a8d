#pragma once
// Builds the client strategy a benchmark case names. The interface is in
// client_strategy.hpp; each strategy lives in its own file (strategies.hpp).

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/client_strategy.hpp>

#include <poolbench/http/client_options.hpp>
#include <poolbench/http/url.hpp>

#include <memory>

namespace poolbench::runner {

// Builds the strategy of `c` (a warm pool now). `options.mode` is ignored:
// the case's keepalive flag decides it.
[[nodiscard]] std::unique_ptr<client_strategy> make_strategy(const bench_case& c,
                                                             const http::url& server,
                                                             http::client_options options);

}  // namespace poolbench::runner
