// unbounded: every request of the batch in flight at once on the async
// client: one event loop, one coroutine per request, no pool. What people
// write first (asyncio.gather over the whole batch), and what the article's
// bounded pool is the alternative to: against a backend that admits a few
// requests at a time, this is the client that meets its limit.
//
// No pool to build, so no warm or cold: the event loop and the clients live
// as long as the strategy, so keep-alive connections (one per request in
// flight, the batch) are reused from round to round, as the floor's are.

#include <poolbench/runner/strategies.hpp>
#include <poolbench/runner/strategy_support.hpp>

#include <poolbench/runner/client_pool.hpp>

#include <poolbench/http/async_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <vector>

namespace poolbench::runner {
namespace {

using namespace detail;
namespace asio = boost::asio;

class unbounded_strategy final : public client_strategy {
 public:
  unbounded_strategy(const bench_case& c, const http::url& server, http::client_options options)
      : case_(c),
        clients_([ex = ioc_.get_executor(), server, options = client_options_for(c, options)] {
          return std::make_unique<http::async_client>(ex, server, options);
        }) {}

  round_result run_round(const round_delays& delays) override {
    const std::size_t n = case_.names.size();
    std::vector<std::optional<fetched>> answers(n);
    std::exception_ptr first_error;
    std::size_t left = n;
    const auto submit = steady_now_ns();
    // Every request is spawned before the loop runs: all of them start on
    // its first turn, none waits for another's answer.
    for (std::size_t i = 0; i < n; ++i) {
      asio::co_spawn(ioc_, fetch(i, delays[i]),
                     [&answers, &first_error, &left, this, i](std::exception_ptr e, fetched f) {
                       if (e) {
                         if (!first_error)
                           first_error = e;
                       } else {
                         answers[i].emplace(std::move(f));
                       }
                       if (--left == 0)
                         ioc_.stop();
                     });
    }
    // A failed request does not abandon the others: the round ends when
    // every coroutine has (each ends by its answer or its read timeout), so
    // none outlives the locals it writes to.
    ioc_.restart();
    ioc_.run();
    if (left != 0)
      throw std::logic_error("unbounded: event loop ran out of work mid-round");
    if (first_error)
      std::rethrow_exception(first_error);
    round_result result;
    result.reserve(n);
    for (auto& a : answers)
      add(result, std::move(*a), submit);
    return result;
  }

 private:
  asio::awaitable<fetched> fetch(std::size_t i, std::chrono::microseconds delay) {
    const auto start = steady_now_ns();
    auto client = clients_.borrow();
    auto body = co_await client->get_hello(case_.names[i], delay);
    co_return fetched{std::move(body), start, steady_now_ns(), client->last_attempts()};
  }

  bench_case case_;
  // The loop is declared first, destroyed last: the clients' sockets are on it.
  // One thread runs it (run_round), as the async pool's (see its
  // one_thread_hint).
  asio::io_context ioc_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  client_pool<http::async_client> clients_;
};

}  // namespace

std::unique_ptr<client_strategy> make_unbounded_strategy(const bench_case& c,
                                                         const http::url& server,
                                                         const http::client_options& options) {
  return std::make_unique<unbounded_strategy>(c, server, options);
}

}  // namespace poolbench::runner
