// Tensors: creation, data transfer, metadata, elementwise/reduction/shape/indexing ops.
// Families of similar ops share one export with an op code (codes mirror the C# enums).
#include "ac.h"
#include <cmath>

using ac::wrap;

static at::TensorOptions options(int dtype, bool requires_grad) {
  return at::TensorOptions().dtype(ac::dtype_from_code(dtype)).requires_grad(requires_grad);
}

// ---------- creation ----------

AC_EXPORT ac_tensor_new(int kind, const int64_t* shape, int ndim, int dtype, double value,
                        bool requires_grad, ac_tensor* out) {
  return ac::guard([&] {
    auto size = ac::dims(shape, ndim);
    // The random kinds sample in float and cast, so every dtype gets a defined result.
    auto opts = options(dtype, false);
    at::Tensor t;
    switch (kind) {
      case 0: t = at::zeros(size, opts); break;
      case 1: t = at::ones(size, opts); break;
      case 2: t = at::full(size, value, opts); break;
      case 3: t = at::empty(size, opts); break;
      case 4: t = at::rand(size, opts); break;
      case 5: t = at::randn(size, opts); break;
      default: throw std::invalid_argument("unknown creation kind " + std::to_string(kind));
    }
    if (requires_grad) t.requires_grad_(true);
    *out = wrap(std::move(t));
  });
}

AC_EXPORT ac_tensor_arange(double start, double end, double step, int dtype, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::arange(start, end, step, options(dtype, false))); });
}

AC_EXPORT ac_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype,
                            ac_tensor* out) {
  return ac::guard(
      [&] { *out = wrap(at::randint(low, high, ac::dims(shape, ndim), options(dtype, false))); });
}

AC_EXPORT ac_tensor_randperm(int64_t n, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::randperm(n, at::kLong)); });
}

// Copies `data` (contiguous, of the given dtype) into a new tensor.
AC_EXPORT ac_tensor_from_data(const void* data, const int64_t* shape, int ndim, int dtype,
                              ac_tensor* out) {
  return ac::guard([&] {
    auto t = at::empty(ac::dims(shape, ndim), options(dtype, false));
    if (t.numel() > 0) std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
    *out = wrap(std::move(t));
  });
}

// Copies the tensor's elements (row-major) into `dst`, which holds `nbytes` bytes.
AC_EXPORT ac_tensor_copy_to(ac_tensor t, void* dst, int64_t nbytes) {
  return ac::guard([&] {
    auto c = t->detach().contiguous();
    int64_t need = c.numel() * c.element_size();
    if (need != nbytes)
      throw std::invalid_argument("destination holds " + std::to_string(nbytes) +
                                  " bytes but the tensor has " + std::to_string(need));
    if (need > 0) std::memcpy(dst, c.data_ptr(), need);
  });
}

// ---------- metadata ----------

AC_EXPORT ac_tensor_info(ac_tensor t, int* ndim, int* dtype, bool* requires_grad, bool* is_leaf) {
  return ac::guard([&] {
    *ndim = static_cast<int>(t->dim());
    *dtype = ac::dtype_to_code(t->scalar_type());
    *requires_grad = t->requires_grad();
    *is_leaf = t->is_leaf();
  });
}

AC_EXPORT ac_tensor_shape(ac_tensor t, int64_t* shape, int cap) {
  return ac::guard([&] {
    if (cap < t->dim()) throw std::invalid_argument("shape buffer too small");
    for (int64_t i = 0; i < t->dim(); ++i) shape[i] = t->size(i);
  });
}

AC_EXPORT ac_tensor_item(ac_tensor t, double* out) {
  return ac::guard([&] { *out = t->item<double>(); });
}

AC_EXPORT ac_tensor_item_long(ac_tensor t, int64_t* out) {
  return ac::guard([&] { *out = t->item<int64_t>(); });
}

// Writes libtorch's printed form into a thread-local buffer valid until the next call.
AC_EXPORT ac_tensor_to_string(ac_tensor t, const char** out) {
  return ac::guard([&] {
    static thread_local std::string s;
    std::ostringstream os;
    os << *t;
    s = os.str();
    *out = s.c_str();
  });
}

// ---------- elementwise ----------

static at::Tensor unary(const at::Tensor& x, int op) {
  switch (op) {
    case 0: return at::neg(x);
    case 1: return at::abs(x);
    case 2: return at::exp(x);
    case 3: return at::log(x);
    case 4: return at::sqrt(x);
    case 5: return at::rsqrt(x);
    case 6: return at::sigmoid(x);
    case 7: return at::tanh(x);
    case 8: return at::relu(x);
    case 9: return at::hardtanh(x, 0.0, 6.0);  // relu6
    case 10: return at::hardswish(x);
    case 11: return at::sign(x);
    case 12: return at::floor(x);
    case 13: return at::ceil(x);
    case 14: return at::round(x);
    case 15: return at::square(x);
    case 16: return at::reciprocal(x);
    case 17: return at::logical_not(x);
    case 18: return at::sin(x);
    case 19: return at::cos(x);
    case 20: return at::log1p(x);
    case 21: return at::silu(x);
    case 22: return at::isnan(x);
    default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
  }
}

static at::Tensor binary(const at::Tensor& a, const at::Tensor& b, int op) {
  switch (op) {
    case 0: return at::add(a, b);
    case 1: return at::sub(a, b);
    case 2: return at::mul(a, b);
    case 3: return at::div(a, b);
    case 4: return at::pow(a, b);
    case 5: return at::maximum(a, b);
    case 6: return at::minimum(a, b);
    case 7: return at::remainder(a, b);
    case 8: return at::eq(a, b);
    case 9: return at::ne(a, b);
    case 10: return at::lt(a, b);
    case 11: return at::le(a, b);
    case 12: return at::gt(a, b);
    case 13: return at::ge(a, b);
    case 14: return at::logical_and(a, b);
    case 15: return at::logical_or(a, b);
    default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
  }
}

// A double from the managed side becomes an integer scalar for integer tensors when it is
// whole, so `long_tensor += 1` stays a long tensor instead of failing type promotion.
static at::Scalar scalar_for(const at::Tensor& t, double v) {
  if (at::isIntegralType(t.scalar_type(), /*includeBool=*/false) && std::floor(v) == v)
    return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

static at::Tensor binary_scalar(const at::Tensor& a, const at::Scalar& s, int op) {
  switch (op) {
    case 0: return at::add(a, s);
    case 1: return at::sub(a, s);
    case 2: return at::mul(a, s);
    case 3: return at::div(a, s);
    case 4: return at::pow(a, s);
    case 5: return at::clamp_min(a, s);
    case 6: return at::clamp_max(a, s);
    case 7: return at::remainder(a, s);
    case 8: return at::eq(a, s);
    case 9: return at::ne(a, s);
    case 10: return at::lt(a, s);
    case 11: return at::le(a, s);
    case 12: return at::gt(a, s);
    case 13: return at::ge(a, s);
    default: throw std::invalid_argument("unknown scalar op " + std::to_string(op));
  }
}

static void binary_inplace(at::Tensor& a, const at::Tensor& b, int op) {
  switch (op) {
    case 0: a.add_(b); break;
    case 1: a.sub_(b); break;
    case 2: a.mul_(b); break;
    case 3: a.div_(b); break;
    case 16: a.copy_(b); break;
    default: throw std::invalid_argument("op " + std::to_string(op) + " has no in-place form");
  }
}

static void scalar_inplace(at::Tensor& a, const at::Scalar& s, int op) {
  switch (op) {
    case 0: a.add_(s); break;
    case 1: a.sub_(s); break;
    case 2: a.mul_(s); break;
    case 3: a.div_(s); break;
    case 5: a.clamp_min_(s); break;
    case 6: a.clamp_max_(s); break;
    case 16: a.fill_(s); break;
    default: throw std::invalid_argument("op " + std::to_string(op) + " has no in-place scalar form");
  }
}

AC_EXPORT ac_tensor_unary(ac_tensor x, int op, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(unary(*x, op)); });
}

AC_EXPORT ac_tensor_binary(ac_tensor a, ac_tensor b, int op, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(binary(*a, *b, op)); });
}

AC_EXPORT ac_tensor_binary_scalar(ac_tensor a, double s, int op, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(binary_scalar(*a, scalar_for(*a, s), op)); });
}

AC_EXPORT ac_tensor_binary_(ac_tensor a, ac_tensor b, int op) {
  return ac::guard([&] { binary_inplace(*a, *b, op); });
}

AC_EXPORT ac_tensor_binary_scalar_(ac_tensor a, double s, int op) {
  return ac::guard([&] { scalar_inplace(*a, scalar_for(*a, s), op); });
}

// a + alpha * b, in place when `inplace` (the workhorse of weight updates and decay).
AC_EXPORT ac_tensor_add_scaled(ac_tensor a, ac_tensor b, double alpha, bool inplace, ac_tensor* out) {
  return ac::guard([&] {
    if (inplace) a->add_(*b, alpha);
    else *out = wrap(at::add(*a, *b, alpha));
  });
}

// kind 0: uniform_(lo, hi); 1: normal_(mean=lo, std=hi); 2: bernoulli_(p=lo).
AC_EXPORT ac_tensor_random_(ac_tensor t, int kind, double lo, double hi) {
  return ac::guard([&] {
    at::NoGradGuard no_grad;
    switch (kind) {
      case 0: t->uniform_(lo, hi); break;
      case 1: t->normal_(lo, hi); break;
      case 2: t->bernoulli_(lo); break;
      default: throw std::invalid_argument("unknown random kind " + std::to_string(kind));
    }
  });
}

AC_EXPORT ac_tensor_clamp(ac_tensor x, double lo, double hi, bool has_lo, bool has_hi, ac_tensor* out) {
  return ac::guard([&] {
    c10::optional<at::Scalar> l = has_lo ? c10::optional<at::Scalar>(lo) : c10::nullopt;
    c10::optional<at::Scalar> h = has_hi ? c10::optional<at::Scalar>(hi) : c10::nullopt;
    *out = wrap(at::clamp(*x, l, h));
  });
}

AC_EXPORT ac_tensor_where(ac_tensor cond, ac_tensor a, ac_tensor b, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::where(*cond, *a, *b)); });
}

AC_EXPORT ac_tensor_masked_fill(ac_tensor x, ac_tensor mask, double value, bool inplace, ac_tensor* out) {
  return ac::guard([&] {
    if (inplace) x->masked_fill_(*mask, value);
    else *out = wrap(x->masked_fill(*mask, value));
  });
}

AC_EXPORT ac_tensor_matmul(ac_tensor a, ac_tensor b, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::matmul(*a, *b)); });
}

AC_EXPORT ac_tensor_to_dtype(ac_tensor x, int dtype, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(x->to(ac::dtype_from_code(dtype))); });
}

AC_EXPORT ac_tensor_clone(ac_tensor x, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(x->clone()); });
}

AC_EXPORT ac_tensor_allclose(ac_tensor a, ac_tensor b, double rtol, double atol, bool* out) {
  return ac::guard([&] { *out = at::allclose(*a, *b, rtol, atol); });
}

// ---------- reductions ----------

AC_EXPORT ac_tensor_reduce(ac_tensor x, int op, const int64_t* dims, int ndims, bool keepdim,
                           ac_tensor* out) {
  return ac::guard([&] {
    auto d = ac::dims(dims, ndims);
    bool all = ndims == 0;
    at::Tensor r;
    switch (op) {
      case 0: r = all ? x->sum() : x->sum(d, keepdim); break;
      case 1: r = all ? x->mean() : x->mean(d, keepdim); break;
      case 2: r = all ? x->amax() : x->amax(d, keepdim); break;
      case 3: r = all ? x->amin() : x->amin(d, keepdim); break;
      case 4: r = all ? x->var() : x->var(d, /*unbiased=*/true, keepdim); break;
      case 5: r = all ? x->std() : x->std(d, /*unbiased=*/true, keepdim); break;
      case 6: r = all ? x->norm() : at::norm(*x, 2, d, keepdim); break;
      case 7: r = all ? x->abs().sum() : x->abs().sum(d, keepdim); break;  // L1 norm
      case 8:
        if (all) r = x->prod();
        else if (ndims == 1) r = x->prod(dims[0], keepdim);
        else throw std::invalid_argument("prod reduces over one dimension at a time");
        break;
      case 9: r = all ? x->any() : x->any(dims[0], keepdim); break;
      case 10: r = all ? x->all() : x->all(dims[0], keepdim); break;
      case 11: r = all ? x->count_nonzero() : x->count_nonzero(d); break;
      default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
    }
    *out = wrap(std::move(r));
  });
}

// op 0: argmax, 1: argmin. has_dim false reduces over the flattened tensor.
AC_EXPORT ac_tensor_argext(ac_tensor x, int op, int64_t dim, bool has_dim, bool keepdim, ac_tensor* out) {
  return ac::guard([&] {
    c10::optional<int64_t> d = has_dim ? c10::optional<int64_t>(dim) : c10::nullopt;
    *out = wrap(op == 0 ? at::argmax(*x, d, keepdim) : at::argmin(*x, d, keepdim));
  });
}

AC_EXPORT ac_tensor_topk(ac_tensor x, int64_t k, int64_t dim, bool largest, bool sorted,
                         ac_tensor* values, ac_tensor* indices) {
  return ac::guard([&] {
    auto r = at::topk(*x, k, dim, largest, sorted);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  });
}

AC_EXPORT ac_tensor_sort(ac_tensor x, int64_t dim, bool descending, ac_tensor* values, ac_tensor* indices) {
  return ac::guard([&] {
    auto r = at::sort(*x, dim, descending);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  });
}

// ---------- shape ----------

// op 0: reshape, 1: view, 2: permute, 3: expand.
AC_EXPORT ac_tensor_shape_op(ac_tensor x, int op, const int64_t* dims, int ndims, ac_tensor* out) {
  return ac::guard([&] {
    auto d = ac::dims(dims, ndims);
    switch (op) {
      case 0: *out = wrap(x->reshape(d)); break;
      case 1: *out = wrap(x->view(d)); break;
      case 2: *out = wrap(x->permute(d)); break;
      case 3: *out = wrap(x->expand(d)); break;
      default: throw std::invalid_argument("unknown shape op " + std::to_string(op));
    }
  });
}

AC_EXPORT ac_tensor_transpose(ac_tensor x, int64_t d0, int64_t d1, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(x->transpose(d0, d1)); });
}

AC_EXPORT ac_tensor_flatten(ac_tensor x, int64_t start, int64_t end, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(x->flatten(start, end)); });
}

// op 0: squeeze(dim), 1: unsqueeze(dim), 2: squeeze all.
AC_EXPORT ac_tensor_squeeze(ac_tensor x, int op, int64_t dim, ac_tensor* out) {
  return ac::guard([&] {
    switch (op) {
      case 0: *out = wrap(x->squeeze(dim)); break;
      case 1: *out = wrap(x->unsqueeze(dim)); break;
      case 2: *out = wrap(x->squeeze()); break;
      default: throw std::invalid_argument("unknown squeeze op " + std::to_string(op));
    }
  });
}

AC_EXPORT ac_tensor_contiguous(ac_tensor x, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(x->contiguous()); });
}

// op 0: cat, 1: stack.
AC_EXPORT ac_tensor_join(const ac_tensor* xs, int n, int64_t dim, int op, ac_tensor* out) {
  return ac::guard([&] {
    std::vector<at::Tensor> v;
    v.reserve(n);
    for (int i = 0; i < n; ++i) v.push_back(*xs[i]);
    *out = wrap(op == 0 ? at::cat(v, dim) : at::stack(v, dim));
  });
}

// ---------- indexing ----------

AC_EXPORT ac_tensor_slice(ac_tensor x, int64_t dim, int64_t start, int64_t end, int64_t step, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(x->slice(dim, start, end, step)); });
}

AC_EXPORT ac_tensor_select(ac_tensor x, int64_t dim, int64_t index, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(x->select(dim, index)); });
}

AC_EXPORT ac_tensor_index_select(ac_tensor x, int64_t dim, ac_tensor index, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(x->index_select(dim, *index)); });
}

// x[index] with one tensor index: long indices along dim 0, or a boolean mask.
AC_EXPORT ac_tensor_index(ac_tensor x, ac_tensor index, ac_tensor* out) {
  return ac::guard([&] {
    c10::List<c10::optional<at::Tensor>> idx;
    idx.push_back(*index);
    *out = wrap(at::index(*x, idx));
  });
}

AC_EXPORT ac_tensor_gather(ac_tensor x, int64_t dim, ac_tensor index, ac_tensor* out) {
  return ac::guard([&] { *out = wrap(at::gather(*x, dim, *index)); });
}

AC_EXPORT ac_tensor_index_put_(ac_tensor x, ac_tensor index, ac_tensor values) {
  return ac::guard([&] {
    c10::List<c10::optional<at::Tensor>> idx;
    idx.push_back(*index);
    x->index_put_(idx, *values);
  });
}
