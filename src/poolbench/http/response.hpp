#pragma once
// An HTTP answer as the clients hand it back, before any check.

#include <string>

namespace poolbench::http {

struct response {
  unsigned status = 0;
  std::string body;
};

}  // namespace poolbench::http
