#include <poolbench/runner/client_strategy.hpp>

#include <poolbench/runner/strategy_support.hpp>

#include <poolbench/executor/errors.hpp>
#include <poolbench/http/request_error.hpp>
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

std::vector<request_outcome> client_strategy::run_open_loop(const open_loop_plan&) {
  throw std::invalid_argument("this strategy has no pool to run open-loop");
}

void verify_round(const bench_case& c, const http::url& server, const round_result& result,
                  const http::answer_check& expect) {
  if (result.bodies.size() != c.names.size()) {
    throw std::runtime_error("expected " + std::to_string(c.names.size()) + " responses, got " +
                             std::to_string(result.bodies.size()));
  }
  if (!expect.is_hello())
    return;
  for (std::size_t i = 0; i < c.names.size(); ++i) {
    const auto expected = http::expected_body(c.names[i]);
    if (result.bodies[i] != expected) {
      throw http::wrong_answer(
          "http://" + server.authority() + server.hello_target(c.names[i], c.delay_ms),
          "response " + std::to_string(i + 1) + " of the batch is '" +
              http::printable_excerpt(result.bodies[i]) + "', expected '" + expected +
              "' (out of order?)");
    }
  }
}

}  // namespace poolbench::runner
