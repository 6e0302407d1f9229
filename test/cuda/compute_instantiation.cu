// Compile check of the CUDA build: instantiates backends::Thrust<thrust_system::cuda> with every
// primitive, the nn layers, the parameter interface and an optimizer step. CI compiles it with
//   /usr/local/cuda/bin/nvcc -std=c++17 -I include -c test/cuda/compute_instantiation.cu -o /dev/null
// and, on a machine with a GPU, test/cuda/CMakeLists.txt builds and runs it (label gpu).
#include <denoise/backends/thrust.hpp>
#include <denoise/nn/nn.hpp>

#include <cstdio>
#include <vector>

namespace {

using B = denoise::backends::Thrust<denoise::backends::thrust_system::cuda, float>;
static_assert(denoise::backends::check_backend<B>(), "");

template <class T>
struct square {
  __host__ __device__ T operator()(T x) const { return x * x; }
};

struct model {
  denoise::nn::Embedding<B> users{100, 16, 1};
  denoise::nn::Embedding<B> items{200, 16, 2};
  denoise::nn::MLP<B> mlp{{16, 32, 1}, 3};
  template <class F>
  void visit_parameters(F&& f) {
    users.visit_parameters(f);
    items.visit_parameters(f);
    mlp.visit_parameters(f);
  }
};

int run() {
  using namespace denoise;
  // Primitives.
  B::matrix a(64, 16), b(16, 8), c;
  B::fill_uniform(a, 1);
  B::fill_normal(b, 2);
  B::gemm(false, false, 1.0f, a, b, 0.0f, c);
  B::gemm(true, false, 1.0f, a, a, 0.0f, c);
  B::map(a, c, square<float>{});
  B::vector rs, cs;
  B::row_sum(a, rs);
  B::col_sum(a, cs);
  B::fill_gumbel(rs, 3);
  B::sort(rs);
  const float median = B::nth_element(cs, 8);
  B::index_vector top;
  B::row_topk(a, 4, top);
  // Layers, forward and backward.
  model m;
  std::vector<index_t> hu(64), hi(64);
  for (std::size_t i = 0; i < hu.size(); ++i) {
    hu[i] = static_cast<index_t>(i % 100);
    hi[i] = static_cast<index_t>((7 * i) % 200);
  }
  B::index_vector u, it;
  B::from_host(hu, u);
  B::from_host(hi, it);
  B::matrix eu, ei, h, y, dh, dx;
  nn::zero_grad<B>(m);
  m.users.forward(u, eu);
  m.items.forward(it, ei);
  B::zip(eu, ei, h, nn::kernels::multiply<float>{});
  m.mlp.forward(h, y);
  m.mlp.backward(y, dh);
  m.users.backward(dh);
  m.items.backward(dh);
  nn::Sigmoid<B> sig;
  nn::Softplus<B> sp;
  nn::Tanh<B> th;
  B::matrix s1, s2, s3;
  sig.forward(y, s1);
  sp.forward(y, s2);
  th.forward(y, s3);
  sig.backward(s1, s2);
  nn::Dropout<B> drop(0.5, 4);
  drop.forward(h, dx);
  drop.backward(dx, dh);
  nn::BatchNorm<B> bn(16);
  bn.forward(h, dx);
  bn.backward(dx, dh);
  nn::LayerNorm<B> ln(16);
  ln.forward(h, dx);
  ln.backward(dx, dh);
  nn::GRU<B> gru(16, 8, 5);
  B::matrix hs, dgx;
  gru.forward(h, 4, hs);
  gru.backward(hs, dgx);
  nn::LSTMCell<B> lstm(16, 8, 6);
  B::matrix h0(64, 8), c0(64, 8), h1, c1, dlx, dlh, dlc;
  B::fill(h0, 0.0f);
  B::fill(c0, 0.0f);
  lstm.forward(h, h0, c0, h1, c1);
  lstm.backward(h1, &c1, dlx, dlh, dlc);
  nn::MultiHeadSelfAttention<B> attn(16, 2, true, 7);
  B::matrix ay, adx;
  attn.forward(h, 8, ay);
  attn.backward(ay, adx);
  // Parameter interface and optimizers.
  nn::snapshot<B> snap(m);
  {
    nn::virtual_step<B, model> assumed(m, 0.1);
  }
  nn::Adam<B> adam;
  adam.step(m);
  nn::SGD<B> sgd;
  sgd.step(m);
  snap.restore(m);
  nn::param_set<B> direction;
  direction.copy_grads(m);
  B::vector jv;
  nn::jvp_finite_difference<B>(m, direction, [&](model& mm, B::vector& out) {
    B::matrix a1, a2, hh, yy;
    mm.users.forward(u, a1);
    mm.items.forward(it, a2);
    B::zip(a1, a2, hh, nn::kernels::multiply<float>{});
    mm.mlp.forward(hh, yy);
    B::copy(yy.values(), out);
  }, jv);
  m.users.reset(9);
  std::printf("thrust-cuda ok: median %f, %zu parameters\n", static_cast<double>(median), nn::parameter_count<B>(m));
  return 0;
}

}  // namespace

int main() { return run(); }
