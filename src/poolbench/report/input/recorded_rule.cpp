#include <poolbench/report/formatted.hpp>
#include <poolbench/report/input/recorded_rule.hpp>

#include <poolbench/report/input/errors.hpp>

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace poolbench::report {
namespace {

using json = nlohmann::ordered_json;

[[noreturn]] void corrupt(const result_file& file, const std::string& problem) {
  throw input_error(file.path + ": context.sequential.settings: " + problem);
}

double number_field(const result_file& file, const json& settings, const char* key) {
  const auto it = settings.find(key);
  if (it == settings.end() || !it->is_number())
    corrupt(file, std::string("\"") + key + "\" is missing or not a number");
  return it->get<double>();
}

// A count of repetitions: a non-negative integer (9, never 9.5 or -1).
std::size_t count_field(const result_file& file, const json& value, const std::string& what) {
  if (!value.is_number_unsigned())
    corrupt(file, what + " is not a non-negative integer");
  return value.get<std::size_t>();
}

sequential_settings parse_settings(const result_file& file, const json& record) {
  if (!record.is_object())
    corrupt(file, "\"sequential\" is not an object");
  const auto it = record.find("settings");
  if (it == record.end() || !it->is_object())
    corrupt(file, "missing or not an object");
  const json& s = *it;
  sequential_settings out;
  out.rule.alpha = number_field(file, s, "alpha");
  out.rule.threshold = number_field(file, s, "margin");
  const auto first = s.find("first_look");
  if (first == s.end())
    corrupt(file, "\"first_look\" is missing");
  out.first_look = count_field(file, *first, "\"first_look\"");
  const auto totals = s.find("allowed_totals");
  if (totals == s.end() || !totals->is_array())
    corrupt(file, "\"allowed_totals\" is missing or not an array");
  out.later_looks.clear();
  for (const auto& t : *totals)
    out.later_looks.push_back(count_field(file, t, "an \"allowed_totals\" entry"));
  try {
    validate(out);
  } catch (const std::invalid_argument& e) {
    corrupt(file, e.what());
  }
  return out;
}

std::string number(double value) {
  return formatted("%g", value);
}

bool same_rule(const sequential_settings& a, const sequential_settings& b) {
  return a.rule.alpha == b.rule.alpha && a.rule.threshold == b.rule.threshold &&
         a.first_look == b.first_look && a.later_looks == b.later_looks;
}

}  // namespace

std::optional<sequential_settings> recorded_sequential_settings(const result_file& file) {
  const auto* record = file.context_json("sequential");
  if (record == nullptr)
    return std::nullopt;
  if (!record->is_object())
    corrupt(file, "\"sequential\" is not a JSON object");
  return parse_settings(file, *record);
}

claims_rule claims_rule_of(const std::vector<result_file>& files, const rule_choice& given) {
  claims_rule out;
  const result_file* source = nullptr;
  for (const auto& f : files) {
    const auto recorded = recorded_sequential_settings(f);
    if (!recorded)
      continue;
    if (source == nullptr) {
      source = &f;
      out.settings = *recorded;
    } else if (!same_rule(out.settings, *recorded)) {
      throw input_error(f.path + ": its context.sequential.settings differ from " + source->path +
                        "'s: claims over both cannot follow one rule");
    }
  }
  out.origin = source != nullptr ? "recorded in " + source->path + " (context.sequential)"
                                 : "the defaults, no file records one";
  if (given.alpha && *given.alpha != out.settings.rule.alpha) {
    out.settings.rule.alpha = *given.alpha;
    out.origin += "; alpha " + number(*given.alpha) + " as given";
  }
  if (given.threshold && *given.threshold != out.settings.rule.threshold) {
    out.settings.rule.threshold = *given.threshold;
    out.origin += "; margin " + number(*given.threshold * 100) + "% as given";
  }
  try {
    validate(out.settings);
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());  // only what was given can be wrong here
  }
  return out;
}

}  // namespace poolbench::report
