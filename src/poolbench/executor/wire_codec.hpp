#pragma once
// The wire codec of process_pool_executor: how task arguments and results
// cross the socket between the parent and a forked worker.
//
// Both ends are the same binary (fork, no exec), so values travel in native
// byte order and layout; nothing here is a persistent or portable format.
//   arithmetic, enums, bool  raw bytes
//   std::string              u64 length + bytes
//   std::vector<std::byte>, std::vector<unsigned char>, std::vector<char>,
//   std::vector<std::uint8_t> (byte vectors)
//                            u64 length + bytes
//   anything nlohmann::json converts (to_json/from_json, containers, ...)
//                            u64 length + CBOR
// Another type can be made transportable by specialising
// poolbench::wire::codec<T> with `static void encode(writer&, const T&)` and
// `static T decode(reader&)`.

#include <nlohmann/json.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolbench::wire {

// A message that does not decode as the expected type (truncated, or a
// codec/type mismatch: a bug, since both ends are the same binary).
class decode_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Appends to a caller-owned buffer.
class writer {
 public:
  explicit writer(std::string& out) noexcept : out_(&out) {}
  void bytes(const void* data, std::size_t size) {
    out_->append(static_cast<const char*>(data), size);
  }
  void length(std::size_t n) {
    const auto v = static_cast<std::uint64_t>(n);
    bytes(&v, sizeof v);
  }

 private:
  std::string* out_;
};

// Consumes a view front to back; throws decode_error on a short read.
class reader {
 public:
  explicit reader(std::string_view in) noexcept : in_(in) {}
  std::string_view take(std::size_t size) {
    if (size > in_.size()) {
      throw decode_error("wire: message truncated");
    }
    std::string_view part = in_.substr(0, size);
    in_.remove_prefix(size);
    return part;
  }
  void bytes(void* data, std::size_t size) {
    const std::string_view part = take(size);
    std::memcpy(data, part.data(), size);
  }
  std::size_t length() {
    std::uint64_t v = 0;
    bytes(&v, sizeof v);
    if (v > in_.size()) {
      throw decode_error("wire: length exceeds message");
    }
    return static_cast<std::size_t>(v);
  }
  [[nodiscard]] bool empty() const noexcept { return in_.empty(); }
  [[nodiscard]] std::string_view rest() const noexcept { return in_; }

 private:
  std::string_view in_;
};

template <class T>
struct codec;  // specialise for other types

template <class B>
concept byte_like = std::is_same_v<B, std::byte> || std::is_same_v<B, char> ||
    std::is_same_v<B, unsigned char> || std::is_same_v<B, signed char>;

template <class T>
requires(std::is_arithmetic_v<T> || std::is_enum_v<T>) struct codec<T> {
  static void encode(writer& w, const T& v) { w.bytes(&v, sizeof v); }
  static T decode(reader& r) {
    T v;
    r.bytes(&v, sizeof v);
    return v;
  }
};

template <>
struct codec<std::string> {
  static void encode(writer& w, const std::string& v) {
    w.length(v.size());
    w.bytes(v.data(), v.size());
  }
  static std::string decode(reader& r) {
    const std::size_t n = r.length();
    return std::string(r.take(n));
  }
};

template <byte_like B>
struct codec<std::vector<B>> {
  static void encode(writer& w, const std::vector<B>& v) {
    w.length(v.size());
    w.bytes(v.data(), v.size());
  }
  static std::vector<B> decode(reader& r) {
    const std::size_t n = r.length();
    const std::string_view part = r.take(n);
    std::vector<B> v(n);
    if (n != 0) {
      std::memcpy(v.data(), part.data(), n);
    }
    return v;
  }
};

// The fallback: a type with no codec of its own that nlohmann::json can
// convert both ways travels as CBOR.
template <class T>
requires(!(std::is_arithmetic_v<T> || std::is_enum_v<T> ||
           std::is_same_v<T, std::string>)&&requires(nlohmann::json & j, const T& v) {
  j = v;
  { std::as_const(j).template get<T>() } -> std::same_as<T>;
}) struct codec<T> {
  static void encode(writer& w, const T& v) {
    const std::vector<std::uint8_t> cbor = nlohmann::json::to_cbor(nlohmann::json(v));
    w.length(cbor.size());
    w.bytes(cbor.data(), cbor.size());
  }
  static T decode(reader& r) {
    const std::size_t n = r.length();
    const std::string_view part = r.take(n);
    try {
      return nlohmann::json::from_cbor(part.begin(), part.end()).template get<T>();
    } catch (const nlohmann::json::exception& e) {
      throw decode_error(std::string("wire: bad CBOR payload: ") + e.what());
    }
  }
};

// A type the codec can carry as a task argument or result.
template <class T>
concept encodable = requires(writer& w, reader& r, const T& v) {
  codec<T>::encode(w, v);
  { codec<T>::decode(r) } -> std::same_as<T>;
};

template <encodable T>
void encode(std::string& out, const T& value) {
  writer w(out);
  codec<T>::encode(w, value);
}

template <encodable T>
[[nodiscard]] T decode(reader& in) {
  return codec<T>::decode(in);
}

// Decodes exactly one T from `bytes` (nothing may be left over).
template <encodable T>
[[nodiscard]] T decode(std::string_view bytes) {
  reader in(bytes);
  T value = codec<T>::decode(in);
  if (!in.empty()) {
    throw decode_error("wire: trailing bytes after value");
  }
  return value;
}

}  // namespace poolbench::wire
