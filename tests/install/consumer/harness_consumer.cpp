// Runs one round of the harness's thread-pool strategy against a server
// (argv[1], e.g. http://127.0.0.1:PORT) from a project that knows poolbench
// only through find_package(poolbench COMPONENTS harness).
#include <poolbench/runner/strategy_factory.hpp>

#include <poolbench/http/url.hpp>

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: harness_consumer URL\n";
    return 2;
  }
  try {
    const auto server = poolbench::http::url::parse(argv[1]);
    poolbench::runner::bench_case c;
    c.strategy = poolbench::results::strategy::thread_pool;
    c.names = {"romeo", "julliet"};
    c.workers = 2;
    const auto strategy = poolbench::runner::make_strategy(c, server, {});
    const auto round = strategy->run_round(poolbench::runner::delays_of_round(c, {}));
    poolbench::runner::verify_round(c, server, round);
    for (const auto& body : round.bodies) {
      std::cout << body << '\n';
    }
  } catch (const std::exception& e) {
    std::cerr << "harness_consumer: " << e.what() << '\n';
    return 1;
  }
}
