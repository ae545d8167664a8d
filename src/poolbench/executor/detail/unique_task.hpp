#pragma once
// A move-only, type-erased unit of work for the thread pool's queue: `run()`
// computes the result into the task's promise, `cancel(e)` stores `e`
// instead. Small tasks (a promise plus a few captures) live inline, so the
// queue itself allocates nothing per task; only the promise's shared state is
// allocated, as with std::packaged_task.

#include <cstddef>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

namespace poolbench::detail {

class unique_task {
 public:
  static constexpr std::size_t inline_size = 64;

  unique_task() noexcept = default;

  template <class T>
  requires(!std::is_same_v<std::decay_t<T>, unique_task>) explicit unique_task(T&& body) {
    using body_t = std::decay_t<T>;
    if constexpr (fits_inline<body_t>) {
      ::new (static_cast<void*>(storage_)) body_t(std::forward<T>(body));
      ops_ = &inline_ops<body_t>;
    } else {
      heap_ = new body_t(std::forward<T>(body));
      ops_ = &heap_ops<body_t>;
    }
  }

  unique_task(unique_task&& other) noexcept { take(other); }
  unique_task& operator=(unique_task&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  unique_task(const unique_task&) = delete;
  unique_task& operator=(const unique_task&) = delete;
  ~unique_task() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }

  // Both leave the task empty-handed but alive; the destructor frees it.
  void run() noexcept { ops_->run(target()); }
  void cancel(std::exception_ptr error) noexcept { ops_->cancel(target(), std::move(error)); }

  void reset() noexcept {
    if (ops_ != nullptr) {
      ops_->destroy(*this);
      ops_ = nullptr;
    }
  }

 private:
  struct operations {
    void (*run)(void*) noexcept;
    void (*cancel)(void*, std::exception_ptr) noexcept;
    void (*move)(unique_task& to, unique_task& from) noexcept;
    void (*destroy)(unique_task&) noexcept;
  };

  template <class B>
  static constexpr bool fits_inline =
      sizeof(B) <= inline_size &&
      alignof(B) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<B>;

  template <class B>
  static B* inline_body(unique_task& t) noexcept {
    return std::launder(reinterpret_cast<B*>(t.storage_));
  }
  template <class B>
  static void run_body(void* b) noexcept {
    static_cast<B*>(b)->run();
  }
  template <class B>
  static void cancel_body(void* b, std::exception_ptr e) noexcept {
    static_cast<B*>(b)->cancel(std::move(e));
  }
  template <class B>
  static void move_inline(unique_task& to, unique_task& from) noexcept {
    B* src = inline_body<B>(from);
    ::new (static_cast<void*>(to.storage_)) B(std::move(*src));
    src->~B();
  }
  template <class B>
  static void destroy_inline(unique_task& t) noexcept {
    inline_body<B>(t)->~B();
  }
  static void move_heap(unique_task& to, unique_task& from) noexcept {
    to.heap_ = from.heap_;
    from.heap_ = nullptr;
  }
  template <class B>
  static void destroy_heap(unique_task& t) noexcept {
    delete static_cast<B*>(t.heap_);
    t.heap_ = nullptr;
  }

  template <class B>
  static constexpr operations inline_ops{&run_body<B>, &cancel_body<B>, &move_inline<B>,
                                         &destroy_inline<B>};
  template <class B>
  static constexpr operations heap_ops{&run_body<B>, &cancel_body<B>, &move_heap, &destroy_heap<B>};

  void* target() noexcept { return heap_ != nullptr ? heap_ : static_cast<void*>(storage_); }

  void take(unique_task& other) noexcept {
    if (other.ops_ != nullptr) {
      other.ops_->move(*this, other);
      ops_ = other.ops_;
      other.ops_ = nullptr;
    }
  }

  const operations* ops_ = nullptr;
  void* heap_ = nullptr;
  alignas(std::max_align_t) std::byte storage_[inline_size];
};

}  // namespace poolbench::detail
