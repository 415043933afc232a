// AutoCompress native shim: the one header every area includes.
// Every export is `extern "C"`, returns a status code (0 = ok, 1 = error) and hands results
// back through out-parameters. The error text lives in a thread-local string read by
// ac_last_error(). No C++ exception crosses the boundary: ac::guard catches them all.
#pragma once
#include <torch/torch.h>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#define AC_EXPORT extern "C" __attribute__((visibility("default"))) int

typedef at::Tensor* ac_tensor;

namespace ac {

void set_error(const char* message);

// Live/peak counts of tensor handles owned by the managed side.
extern std::atomic<int64_t> live_tensors;
extern std::atomic<int64_t> peak_tensors;

// Moves a tensor onto the heap as a handle owned by the caller (freed by ac_tensor_free).
ac_tensor wrap(at::Tensor&& t);
inline ac_tensor wrap(const at::Tensor& t) { return wrap(at::Tensor(t)); }

// A handle that may be null means "absent" (an optional bias, for example).
inline c10::optional<at::Tensor> opt(ac_tensor t) {
  return t ? c10::optional<at::Tensor>(*t) : c10::nullopt;
}

at::ScalarType dtype_from_code(int code);
int dtype_to_code(at::ScalarType t);

template <class F>
int guard(F&& body) noexcept {
  try {
    body();
    return 0;
  } catch (const c10::Error& e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception in the native shim");
  }
  return 1;
}

// Drops a tensor's gradient (set_to_none) or zeroes it in place, as PyTorch's zero_grad does.
inline void clear_grad(at::Tensor& t, bool set_to_none) {
  auto& g = t.mutable_grad();
  if (!g.defined()) return;
  if (set_to_none) {
    g.reset();
  } else {
    g.detach_();
    g.zero_();
  }
}

inline at::IntArrayRef dims(const int64_t* p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

}  // namespace ac
