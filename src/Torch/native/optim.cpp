// libtorch's own optimizers behind opaque handles, plus their state for checkpoints.
#include "ac.h"
#include <sstream>

typedef torch::optim::Optimizer* ac_optim;

static std::vector<at::Tensor> params_of(const ac_tensor* params, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; ++i) {
    if (!params[i]->requires_grad())
      throw std::invalid_argument("parameter " + std::to_string(i) + " does not require grad");
    v.push_back(*params[i]);
  }
  return v;
}

AC_EXPORT ac_optim_sgd_new(const ac_tensor* params, int n, double lr, double momentum,
                           double dampening, double weight_decay, bool nesterov, ac_optim* out) {
  return ac::guard([&] {
    auto o = torch::optim::SGDOptions(lr).momentum(momentum).dampening(dampening)
                 .weight_decay(weight_decay).nesterov(nesterov);
    *out = new torch::optim::SGD(params_of(params, n), o);
  });
}

// decoupled = true gives AdamW (decoupled weight decay), false gives Adam (L2 in the gradient).
AC_EXPORT ac_optim_adam_new(const ac_tensor* params, int n, double lr, double beta1, double beta2,
                            double eps, double weight_decay, bool amsgrad, bool decoupled, ac_optim* out) {
  return ac::guard([&] {
    auto ps = params_of(params, n);
    if (decoupled) {
      auto o = torch::optim::AdamWOptions(lr).betas({beta1, beta2}).eps(eps)
                   .weight_decay(weight_decay).amsgrad(amsgrad);
      *out = new torch::optim::AdamW(ps, o);
    } else {
      auto o = torch::optim::AdamOptions(lr).betas({beta1, beta2}).eps(eps)
                   .weight_decay(weight_decay).amsgrad(amsgrad);
      *out = new torch::optim::Adam(ps, o);
    }
  });
}

AC_EXPORT ac_optim_free(ac_optim o) {
  return ac::guard([&] { delete o; });
}

AC_EXPORT ac_optim_step(ac_optim o) {
  return ac::guard([&] { o->step(); });
}

AC_EXPORT ac_optim_zero_grad(ac_optim o, bool set_to_none) {
  return ac::guard([&] {
    for (auto& group : o->param_groups())
      for (auto& p : group.params()) ac::clear_grad(p, set_to_none);
  });
}

AC_EXPORT ac_optim_set_lr(ac_optim o, double lr) {
  return ac::guard([&] {
    for (auto& group : o->param_groups()) group.options().set_lr(lr);
  });
}

AC_EXPORT ac_optim_get_lr(ac_optim o, double* out) {
  return ac::guard([&] { *out = o->param_groups().at(0).options().get_lr(); });
}

// Serializes the optimizer state (momentum buffers, Adam moments, step counts) into a
// thread-local buffer valid until the next call on this thread.
AC_EXPORT ac_optim_save(ac_optim o, const char** data, int64_t* size) {
  return ac::guard([&] {
    static thread_local std::string buffer;
    torch::serialize::OutputArchive archive;
    o->save(archive);
    std::ostringstream os;
    archive.save_to(os);
    buffer = os.str();
    *data = buffer.data();
    *size = static_cast<int64_t>(buffer.size());
  });
}

AC_EXPORT ac_optim_load(ac_optim o, const char* data, int64_t size) {
  return ac::guard([&] {
    torch::serialize::InputArchive archive;
    std::istringstream is(std::string(data, static_cast<size_t>(size)));
    archive.load_from(is);
    o->load(archive);
  });
}
