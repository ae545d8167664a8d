#include <poolbench/runner/backend_model.hpp>

#include <poolbench/results/workload.hpp>

namespace poolbench::runner {

std::vector<std::string> backend_model::server_arguments() const {
  std::vector<std::string> args;
  if (max_in_flight)
    args.insert(args.end(), {"--max-in-flight", std::to_string(*max_in_flight)});
  if (over_limit)
    args.insert(args.end(), {"--over-limit", *over_limit});
  if (rate_limit)
    args.insert(args.end(), {"--rate-limit", results::shortest_number(*rate_limit)});
  if (rate_burst)
    args.insert(args.end(), {"--rate-burst", results::shortest_number(*rate_burst)});
  if (overload_us)
    args.insert(args.end(), {"--overload-us", results::shortest_number(*overload_us)});
  return args;
}

}  // namespace poolbench::runner
