#include <poolbench/runner/run_context.hpp>

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/cpu_affinity.hpp>
#include <poolbench/runner/provenance.hpp>
#include <poolbench/runner/server_backend.hpp>

#include <poolbench/results/strategy_traits.hpp>

namespace poolbench::runner {

nlohmann::ordered_json run_context(const run_plan& plan, const server_session& server,
                                   const char* poolbench_version) {
  auto context = provenance();
  context["poolbench_version"] = poolbench_version;
  context["command_line"] = plan.command_line;
  context["server_url"] = server.url().to_string();
  context["server_kind"] = server.embedded() ? "embedded" : "external";
  if (server.embedded()) {
    context["server_threads"] = plan.server_threads;
    context["server_io_model"] = plan.server_io_model;
    // What its event loop waits on, read from the running server: the
    // program poolbench starts is poolbench-server, on epoll, but a file
    // should say what served it, not what was meant to.
    context["server_backend"] = event_backend_of(server.pid());
  }
  const std::string experiment = plan.zoo ? "zoo" : "default";
  context["workload"] =
      plan.workload_given ? "custom" : (plan.quick ? experiment + " (quick)" : experiment);
  // What each strategy of the run is (a pool or not, what it keeps in
  // flight): a report in another program, which has not registered it,
  // reads it from here (results::register_recorded_traits).
  auto& strategies = context["strategies"] = nlohmann::ordered_json::object();
  for (auto s : plan.strategies)
    strategies[std::string(s.name())] = results::traits_to_json(results::traits_of(s));
  if (plan.open_loop()) {
    context["repetitions"] = 1;    // one run of --duration per strategy and rate
    context["warmup_rounds"] = 1;  // one closed round first: connections open, bodies checked
  } else {
    context["repetitions"] = plan.repetitions;
    context["warmup_rounds"] = plan.warmup_rounds;
  }
  if (plan.rounds) {
    context["rounds"] = *plan.rounds;
  } else {
    context["min_time_s"] = plan.min_time_s;
    if (!plan.workload_given)  // the default experiment's article cases run longer
      context["article_min_time_s"] = plan.min_time_s * article_min_time_scale;
    context["max_rounds"] = plan.max_rounds;
  }
  context["read_timeout_ms"] = plan.read_timeout.count();
  context["expect"] = plan.expect.to_string();
  context["retries"] = plan.retries;
  if (server.embedded() && plan.server_model.any()) {
    // poolbench-server's own flags for the model, as they were passed.
    const auto args = plan.server_model.server_arguments();
    auto& model = context["server_model"] = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i + 1 < args.size(); i += 2)
      model[args[i].substr(2)] = args[i + 1];
    model["stats-path"] = server.stats_path();
  }
  context["server_cpus"] =
      plan.server_cpus.empty() ? "not pinned" : format_cpu_list(plan.server_cpus);
  context["client_cpus"] =
      plan.client_cpus.empty() ? "not pinned" : format_cpu_list(plan.client_cpus);
  context["interleaved"] = plan.interleave;
  if (plan.open_loop()) {
    context["load_model"] = "open-loop";
    context["latency"] =
        "latency: completion - intended send time (coordinated omission corrected); "
        "service time: a worker starts the request -> its checked response is in hand";
    context["arrivals"] = results::to_string(plan.arrivals);
    context["seed"] = plan.seed;
    context["duration_s"] = plan.duration_s;
    context["drain_timeout_s"] = static_cast<double>(plan.drain_timeout.count()) / 1000.0;
  } else {
    context["load_model"] = "closed-loop";
    if (!plan.delays.empty())
      context["seed"] = plan.seed;  // picks the drawn delays
    context["latency"] =
        "service time: a worker starts the request -> its checked response is in hand; "
        "queue time: batch submitted -> worker starts; percentiles over all timed rounds";
  }
  context["load_average_start"] = load_average();
  return context;
}

}  // namespace poolbench::runner
