#pragma once
// Percent-encoding (RFC 3986, section 2.1) of one path segment.
//
// The client encodes a name into the request path and the server decodes it
// back, so both sides share this one implementation.

#include <optional>
#include <string>
#include <string_view>

namespace poolbench::http {

// Encodes every byte outside RFC 3986's "unreserved" set (ALPHA DIGIT - . _ ~)
// as %XX with upper-case hex digits, so the result is a safe path segment.
[[nodiscard]] std::string percent_encode(std::string_view text);

// The same, appended to `out`: a client building a request target per
// request writes it in place, and a name with nothing to escape (the usual
// one) is appended whole.
void append_percent_encoded(std::string& out, std::string_view text);

// Decodes %XX escapes. Returns nullopt for a malformed escape ("%4", "%zz"):
// the caller answers 400 instead of guessing. '+' is a literal plus in a path.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text);

}  // namespace poolbench::http
