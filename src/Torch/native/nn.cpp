// Functional neural-network ops for compact CNNs.
#include "ac.h"

using ac::wrap;

AC_EXPORT ac_nn_conv2d(ac_tensor x, ac_tensor w, ac_tensor b, const int64_t* stride,
                       const int64_t* padding, const int64_t* dilation, int64_t groups, ac_tensor* out) {
  return ac::guard([&] {
    *out = wrap(at::conv2d(*x, *w, ac::opt(b), ac::dims(stride, 2), ac::dims(padding, 2),
                           ac::dims(dilation, 2), groups));
  });
}

AC_EXPORT ac_nn_linear(ac_tensor x, ac_tensor w, ac_tensor b, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::linear(*x, *w, ac::opt(b))); });
}

// Updates running_mean/running_var in place when training.
AC_EXPORT ac_nn_batch_norm(ac_tensor x, ac_tensor w, ac_tensor b, ac_tensor running_mean,
                           ac_tensor running_var, bool training, double momentum, double eps,
                           ac_tensor* out) {
  return ac::guard([&] {
    *out = wrap(at::batch_norm(*x, ac::opt(w), ac::opt(b), ac::opt(running_mean),
                               ac::opt(running_var), training, momentum, eps,
                               at::globalContext().userEnabledCuDNN()));
  });
}

// op 0: max, 1: avg. kernel/stride/padding/dilation are pairs.
AC_EXPORT ac_nn_pool2d(ac_tensor x, int op, const int64_t* kernel, const int64_t* stride,
                       const int64_t* padding, const int64_t* dilation, bool ceil_mode,
                       bool count_include_pad, ac_tensor* out) {
  return ac::guard([&] {
    if (op == 0)
      *out = wrap(at::max_pool2d(*x, ac::dims(kernel, 2), ac::dims(stride, 2), ac::dims(padding, 2),
                                 ac::dims(dilation, 2), ceil_mode));
    else
      *out = wrap(at::avg_pool2d(*x, ac::dims(kernel, 2), ac::dims(stride, 2), ac::dims(padding, 2),
                                 ceil_mode, count_include_pad));
  });
}

AC_EXPORT ac_nn_adaptive_avg_pool2d(ac_tensor x, const int64_t* output_size, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::adaptive_avg_pool2d(*x, ac::dims(output_size, 2))); });
}

AC_EXPORT ac_nn_dropout(ac_tensor x, double p, bool train, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::dropout(*x, p, train)); });
}

// op 0: softmax, 1: log_softmax.
AC_EXPORT ac_nn_softmax(ac_tensor x, int64_t dim, int op, ac_tensor* out) {
  return ac::guard([&] {
    *out = wrap(op == 0 ? at::softmax(*x, dim) : at::log_softmax(*x, dim));
  });
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction codes).
AC_EXPORT ac_nn_cross_entropy(ac_tensor logits, ac_tensor target, double label_smoothing,
                              int reduction, ac_tensor* out) {
  return ac::guard([&] {
    *out = wrap(at::cross_entropy_loss(*logits, *target, {}, reduction, -100, label_smoothing));
  });
}

// reduction: 0 none, 1 mean, 2 sum, 3 batchmean (sum / batch size, the KL divergence proper).
AC_EXPORT ac_nn_kl_div(ac_tensor input, ac_tensor target, int reduction, bool log_target, ac_tensor* out) {
  return ac::guard([&] {
    if (reduction == 3) {
      auto s = at::kl_div(*input, *target, at::Reduction::Sum, log_target);
      *out = wrap(s / input->size(0));
    } else {
      *out = wrap(at::kl_div(*input, *target, reduction, log_target));
    }
  });
}

AC_EXPORT ac_nn_mse_loss(ac_tensor a, ac_tensor b, int reduction, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::mse_loss(*a, *b, reduction)); });
}

AC_EXPORT ac_nn_pad2d(ac_tensor x, const int64_t* pad4, double value, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::constant_pad_nd(*x, ac::dims(pad4, 4), value)); });
}
