#pragma once
// The completion token of the server's coroutines: an error comes back as a
// value beside the result, because a peer closing or a cancelled timer is an
// ordinary event for a server, not an exception.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace poolbench::server {

inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace poolbench::server
