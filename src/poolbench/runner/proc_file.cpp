#include <poolbench/runner/proc_file.hpp>

#include <cstdio>

namespace poolbench::runner {

std::optional<std::string> read_proc_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "re");
  if (f == nullptr)
    return std::nullopt;
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
    out.append(buffer, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed)
    return std::nullopt;
  return out;
}

}  // namespace poolbench::runner
