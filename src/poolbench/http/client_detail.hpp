#pragma once
// Pieces the blocking and the coroutine client share. Internal: not part of
// the poolbench::http interface.

#include <poolbench/http/client_options.hpp>
#include <poolbench/http/request_error.hpp>
#include <poolbench/http/url.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace poolbench::http::detail {

namespace beast_http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// IP literals become an endpoint directly; names go through the resolver.
// Throws request_error(cannot_connect) naming `server`.
[[nodiscard]] std::vector<tcp::endpoint> resolve(const url& server);

// The GET request for `target` as wire bytes, written with one write call:
// Beast's serializer showed up in profiles of the client's hot loop.
[[nodiscard]] std::string make_request(const url& server, const std::string& target,
                                       connection mode);

// The same in two parts, for a client that sends many: the request's fixed
// tail after the target (" HTTP/1.1", the headers, the blank line), built
// once, and the request itself written into `out`, whose storage is reused.
[[nodiscard]] std::string request_tail(const url& server, connection mode);
void write_request(std::string& out, std::string_view target, std::string_view tail);

// A parser with the client's limits: bodies above max_body_bytes are refused.
void limit_parser(beast_http::basic_parser<false>& parser, const client_options& options);

// "connection refused" rather than "Connection refused": messages continue a sentence.
[[nodiscard]] std::string describe(const boost::system::error_code& ec);

// Maps a failure while sending or receiving to the error the caller sees.
[[nodiscard]] request_error exchange_error(const boost::system::error_code& ec,
                                           const std::string& request_url,
                                           const client_options& options);

[[nodiscard]] request_error connect_error(const boost::system::error_code& ec,
                                          const std::string& request_url,
                                          const client_options& options);

}  // namespace poolbench::http::detail
