#pragma once
// Result files are written atomically: the content goes to a scratch file
// beside its destination (same directory, so the same file system), is
// flushed to disk, and only then renamed over the destination. A run that
// fails, is interrupted or crashes never truncates or replaces a file.

#include <string>
#include <string_view>

namespace poolbench::runner {

// A uniquely named file `<dir>/.<base>.<tag>-XXXXXX` beside `destination`.
// Removed by the destructor unless committed, and by remove_scratch_files()
// when a fatal signal ends the program (see embedded_server.hpp).
class scratch_file {
 public:
  // Throws std::runtime_error when the directory is not writable.
  scratch_file(const std::string& destination, std::string_view tag);
  ~scratch_file();
  scratch_file(const scratch_file&) = delete;
  scratch_file& operator=(const scratch_file&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  // Replaces the file's content with `text` and flushes it to disk.
  void write(std::string_view text);
  // Renames the scratch file to `destination`; afterwards it is no longer
  // this object's to remove. Throws std::runtime_error on failure.
  void commit_to(const std::string& destination);

 private:
  std::string path_;
  int slot_ = -1;  // in the registry of files a fatal signal removes
  bool committed_ = false;
};

// `text` into `path`, all or nothing (scratch file + fsync + rename).
void write_file_atomically(const std::string& path, std::string_view text);

// Unlinks every live scratch file; async-signal-safe (for signal handlers).
void remove_scratch_files() noexcept;

}  // namespace poolbench::runner
