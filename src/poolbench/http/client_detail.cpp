#include <poolbench/http/client_detail.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

#include <cctype>

namespace poolbench::http::detail {

namespace asio = boost::asio;

std::vector<tcp::endpoint> resolve(const url& server) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(server.host, ec);
  if (!ec)
    return {tcp::endpoint(address, server.port)};
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(server.host, std::to_string(server.port), ec);
  if (ec || results.empty()) {
    throw request_error(request_error::kind::cannot_connect, server.to_string(),
                        "cannot resolve '" + server.host + "': " + describe(ec));
  }
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : results)
    endpoints.push_back(entry.endpoint());
  return endpoints;
}

std::string request_tail(const url& server, connection mode) {
  std::string tail = " HTTP/1.1\r\nHost: ";
  tail += server.authority();
  tail += "\r\nUser-Agent: poolbench\r\n";
  // HTTP/1.1 keeps connections by default; a fresh-connection client says
  // "Connection: close" so the server does not hold an idle connection open.
  if (mode == connection::fresh)
    tail += "Connection: close\r\n";
  tail += "\r\n";
  return tail;
}

void write_request(std::string& out, std::string_view target, std::string_view tail) {
  out.clear();
  out.reserve(4 + target.size() + tail.size());
  out.append("GET ").append(target).append(tail);
}

std::string make_request(const url& server, const std::string& target, connection mode) {
  std::string req;
  write_request(req, target, request_tail(server, mode));
  return req;
}

void limit_parser(beast_http::basic_parser<false>& parser, const client_options& options) {
  parser.header_limit(16 * 1024);
  parser.body_limit(options.max_body_bytes);
}

std::string describe(const boost::system::error_code& ec) {
  std::string text = ec ? ec.message() : std::string("no address found");
  if (!text.empty())
    text.front() = static_cast<char>(std::tolower(text.front()));
  return text;
}

request_error exchange_error(const boost::system::error_code& ec, const std::string& request_url,
                             const client_options& options) {
  using kind = request_error::kind;
  if (ec == asio::error::timed_out || ec == boost::beast::error::timeout) {
    return {kind::timeout, request_url,
            "no complete answer within " + std::to_string(options.read_timeout.count()) + " ms"};
  }
  if (ec == beast_http::error::end_of_stream) {
    return {kind::io, request_url, "server closed the connection before answering completely"};
  }
  // Part of an answer, then end of file: say so, a truncated answer is a
  // server bug worth telling apart from a dropped connection.
  if (ec == beast_http::error::partial_message) {
    return {kind::io, request_url,
            "truncated answer: the server closed the connection before the end of the message"};
  }
  if (ec == beast_http::error::body_limit) {
    return {kind::bad_response, request_url,
            "answer body larger than " + std::to_string(options.max_body_bytes) + " bytes"};
  }
  if (ec.category() == beast_http::make_error_code(beast_http::error::bad_version).category()) {
    return {kind::io, request_url, "answer is not valid HTTP/1.1: " + describe(ec)};
  }
  return {kind::io, request_url, describe(ec)};
}

request_error connect_error(const boost::system::error_code& ec, const std::string& request_url,
                            const client_options& options) {
  if (ec == asio::error::timed_out || ec == boost::beast::error::timeout) {
    return {request_error::kind::cannot_connect, request_url,
            "connect timed out after " + std::to_string(options.connect_timeout.count()) + " ms"};
  }
  return {request_error::kind::cannot_connect, request_url, describe(ec)};
}

}  // namespace poolbench::http::detail
