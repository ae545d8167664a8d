#pragma once
// A free list of HTTP clients shared by a pool's workers: each task borrows
// one for its request and gives it back. At most `workers` tasks run at once,
// so at most `workers` clients (and keep-alive connections) ever exist: one
// per worker, as a thread-local client would give, without tying a
// connection to a particular thread.

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace poolbench::runner {

template <class Client>
class client_pool {
 public:
  explicit client_pool(std::function<std::unique_ptr<Client>()> make) : make_(std::move(make)) {}

  // Returns the client to the pool when destroyed.
  class lease {
   public:
    lease(client_pool& pool, std::unique_ptr<Client> client)
        : pool_(&pool), client_(std::move(client)) {}
    lease(lease&& other) noexcept = default;
    lease& operator=(lease&&) = delete;
    ~lease() {
      if (client_)
        pool_->give_back(std::move(client_));
    }
    Client& operator*() const { return *client_; }
    Client* operator->() const { return client_.get(); }

   private:
    client_pool* pool_;
    std::unique_ptr<Client> client_;
  };

  [[nodiscard]] lease borrow() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto client = std::move(idle_.back());
        idle_.pop_back();
        return lease(*this, std::move(client));
      }
    }
    return lease(*this, make_());
  }

 private:
  void give_back(std::unique_ptr<Client> client) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(client));
  }

  std::function<std::unique_ptr<Client>()> make_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Client>> idle_;
};

}  // namespace poolbench::runner
