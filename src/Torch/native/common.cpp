// Errors, handle counting, dtype codes, seeding and threads.
#include "ac.h"

namespace ac {

static thread_local std::string last_error;
std::atomic<int64_t> live_tensors{0};
std::atomic<int64_t> peak_tensors{0};

void set_error(const char* message) { last_error = message ? message : ""; }

ac_tensor wrap(at::Tensor&& t) {
  auto* h = new at::Tensor(std::move(t));
  int64_t live = ++live_tensors;
  int64_t peak = peak_tensors.load();
  while (live > peak && !peak_tensors.compare_exchange_weak(peak, live)) {
  }
  return h;
}

// Codes shared with the C# DType enum.
at::ScalarType dtype_from_code(int code) {
  switch (code) {
    case 0: return at::kFloat;
    case 1: return at::kDouble;
    case 2: return at::kLong;
    case 3: return at::kInt;
    case 4: return at::kChar;
    case 5: return at::kByte;
    case 6: return at::kBool;
    default: throw std::invalid_argument("unknown dtype code " + std::to_string(code));
  }
}

int dtype_to_code(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return 0;
    case at::kDouble: return 1;
    case at::kLong: return 2;
    case at::kInt: return 3;
    case at::kChar: return 4;
    case at::kByte: return 5;
    case at::kBool: return 6;
    default: throw std::invalid_argument(std::string("unsupported dtype ") + c10::toString(t));
  }
}

}  // namespace ac

extern "C" __attribute__((visibility("default"))) const char* ac_last_error() {
  return ac::last_error.c_str();
}

AC_EXPORT ac_version(const char** out) {
  return ac::guard([&] {
    static const std::string v = std::to_string(TORCH_VERSION_MAJOR) + "." +
                                 std::to_string(TORCH_VERSION_MINOR) + "." +
                                 std::to_string(TORCH_VERSION_PATCH);
    *out = v.c_str();
  });
}

AC_EXPORT ac_tensor_free(ac_tensor t) {
  return ac::guard([&] {
    if (t) {
      delete t;
      --ac::live_tensors;
    }
  });
}

AC_EXPORT ac_tensor_counts(int64_t* live, int64_t* peak) {
  return ac::guard([&] {
    *live = ac::live_tensors.load();
    *peak = ac::peak_tensors.load();
  });
}

AC_EXPORT ac_tensor_reset_peak() {
  return ac::guard([&] { ac::peak_tensors = ac::live_tensors.load(); });
}

AC_EXPORT ac_util_manual_seed(uint64_t seed) {
  return ac::guard([&] { torch::manual_seed(seed); });
}

AC_EXPORT ac_util_set_num_threads(int n) {
  return ac::guard([&] {
    if (n < 1) throw std::invalid_argument("thread count must be >= 1, got " + std::to_string(n));
    at::set_num_threads(n);
  });
}

AC_EXPORT ac_util_get_num_threads(int* out) {
  return ac::guard([&] { *out = at::get_num_threads(); });
}
