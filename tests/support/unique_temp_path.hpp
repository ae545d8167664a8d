#pragma once
// Test support: a file name under ::testing::TempDir() that no other test
// process writes at the same time.
//
// CTest runs every GoogleTest test as its own process, several at once, and
// TempDir() is one directory (/tmp/) for all of them: for every build tree
// of every checkout on the machine too. A fixed name there, written by a
// helper two tests call, lets one test read the other's file.

#include <string>

namespace poolbench::testing {

// TempDir() + "<suite>_<test>_<pid>_<stem>": the running test's suite and
// name ('/' of a parametrized name as '_'), this process's id (the same test
// of another build tree or checkout), then `stem`, last, so that a name
// derived from the path by its ending (FILE.failed.json) is derived as
// before. Outside a test: TempDir() + "<pid>_<stem>".
[[nodiscard]] std::string unique_temp_path(const std::string& stem);

}  // namespace poolbench::testing
