#include <poolbench/results/delay_name.hpp>
#include <poolbench/results/split.hpp>

#include <poolbench/delay/delay_distribution.hpp>

#include <stdexcept>
#include <utility>
#include <vector>

namespace poolbench::results {
namespace {

// Built by append into a new string: GCC 12 warns falsely (-Wrestrict) on
// std::string::replace.
void replace_all(std::string& text, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t start = 0;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, start)) {
    out.append(text, start, at - start).append(to);
    start = at + from.size();
  }
  out.append(text, start);
  text = std::move(out);
}

using detail::split;

// The value of "key=value" among a lognormal's comma-separated arguments.
std::string_view lognormal_value(std::string_view args, std::string_view key) {
  for (const auto item : split(args, ',')) {
    if (item.size() > key.size() && item.starts_with(key) && item[key.size()] == '=')
      return item.substr(key.size() + 1);
  }
  return {};
}

}  // namespace

std::string canonical_delay_spec(std::string_view spec) {
  (void)delay::delay_distribution::parse(spec);  // throws the parser's line
  std::string text;
  for (const char c : spec) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      text.push_back(c);
  }
  constexpr std::string_view lognormal = "lognormal:";
  if (text.starts_with(lognormal)) {
    const std::string_view args = std::string_view(text).substr(lognormal.size());
    std::string out(lognormal);
    out.append("median=").append(lognormal_value(args, "median"));
    out.append(",p99=").append(lognormal_value(args, "p99"));
    return out;
  }
  return text;
}

std::string delay_name_form(std::string_view canonical_spec) {
  std::string out(canonical_spec);
  replace_all(out, "lognormal:median=", "lognormal_");
  replace_all(out, ",p99=", "_");
  replace_all(out, "..", "_");
  replace_all(out, ":", "_");
  replace_all(out, ",", "_");
  return out;
}

std::optional<std::string> delay_spec_from_name_form(std::string_view name_form) {
  // A spec's own separators never appear in a name form.
  if (name_form.find_first_of(":,=/ \t") != std::string_view::npos)
    return std::nullopt;
  const auto t = split(name_form, '_');
  std::string spec;
  if (t[0] == "uniform" && t.size() == 3) {
    spec.append("uniform:").append(t[1]).append("..").append(t[2]);
  } else if (t[0] == "exp" && t.size() == 2) {
    spec.append("exp:").append(t[1]);
  } else if (t[0] == "lognormal" && t.size() == 3) {
    spec.append("lognormal:median=").append(t[1]).append(",p99=").append(t[2]);
  } else if (t.size() == 1) {
    spec.append(t[0]);
  } else if (t.size() % 2 == 0) {
    for (std::size_t i = 0; i < t.size(); i += 2) {
      if (i > 0)
        spec.push_back(',');
      spec.append(t[i]).append(":").append(t[i + 1]);
    }
  } else {
    return std::nullopt;
  }
  try {
    if (canonical_delay_spec(spec) != spec)
      return std::nullopt;
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
  return spec;
}

}  // namespace poolbench::results
