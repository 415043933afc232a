// Autograd: gradients, backward, detach, grad mode.
#include "ac.h"

using ac::wrap;

AC_EXPORT ac_autograd_set_requires_grad(ac_tensor t, bool value) {
  return ac::guard([&] { t->requires_grad_(value); });
}

AC_EXPORT ac_autograd_backward(ac_tensor t, ac_tensor grad, bool retain_graph) {
  return ac::guard([&] {
    t->backward(grad ? *grad : at::Tensor(), retain_graph);
  });
}

// *out is null when the tensor has no gradient yet.
AC_EXPORT ac_autograd_grad(ac_tensor t, ac_tensor* out) {
  return ac::guard([&] {
    const auto& g = t->grad();
    *out = g.defined() ? wrap(g) : nullptr;
  });
}

// set_to_none drops the gradient; otherwise it is zeroed in place.
AC_EXPORT ac_autograd_zero_grad(ac_tensor t, bool set_to_none) {
  return ac::guard([&] { ac::clear_grad(*t, set_to_none); });
}

AC_EXPORT ac_autograd_detach(ac_tensor t, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(t->detach()); });
}

// Grad mode is per thread in libtorch. Returns the previous mode for restoring.
AC_EXPORT ac_autograd_set_grad_enabled(bool enabled, bool* previous) {
  return ac::guard([&] {
    *previous = at::GradMode::is_enabled();
    at::GradMode::set_enabled(enabled);
  });
}

AC_EXPORT ac_autograd_is_grad_enabled(bool* out) {
  return ac::guard([&] { *out = at::GradMode::is_enabled(); });
}

// A second handle to the same tensor (same storage, same autograd history).
AC_EXPORT ac_autograd_alias(ac_tensor t, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(*t); });
}
