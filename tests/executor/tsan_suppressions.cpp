// ThreadSanitizer cannot see the atomic reference count of std::exception_ptr:
// it lives in libstdc++.so, which is not instrumented. When a task's
// exception is rethrown by future::get() in one thread and the last
// exception_ptr to it is released later in a pool thread, TSan reports the
// delete as racing with the caller's earlier read of what(). The count is a
// real acq_rel atomic, so these two frames (and only these) are suppressed.
// TSan reads this hook at start-up; other builds never call it.

extern "C" const char* __tsan_default_suppressions() {
  return "race:std::__exception_ptr::exception_ptr::_M_release\n"
         "race:std::__future_base::_Result_base::_Deleter::operator()\n";
}
