// Compile check of the CUDA build: instantiates backends::Thrust<thrust_system::cuda> with every
// primitive, the nn layers, the parameter interface and an optimizer step, NeuMF's JVPs, CDAE's
// factored per-sample cosines, SGDL's Gumbel-softmax and the RL policies. CI compiles it with
//   /usr/local/cuda/bin/nvcc -std=c++17 -I include -c test/cuda/compute_instantiation.cu -o /dev/null
// and, on a machine with a GPU, test/cuda/CMakeLists.txt builds and runs it (label gpu).
#include <denoise/backends/thrust.hpp>
#include <denoise/data/pair_batch.hpp>
#include <denoise/methods/sgdl/gumbel_softmax.hpp>
#include <denoise/losses/bce.hpp>
#include <denoise/models/cdae.hpp>
#include <denoise/models/neumf.hpp>
#include <denoise/nn/nn.hpp>
#include <denoise/nn/per_sample.hpp>
#include <denoise/rl/rl.hpp>

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
  nn::Embedding<B>::cache cu, ci;
  nn::MLP<B>::cache cm;
  nn::zero_grad<B>(m);
  m.users.forward(u, eu, cu);
  m.items.forward(it, ei, ci);
  B::zip(eu, ei, h, nn::kernels::multiply<float>{});
  m.mlp.forward(h, y, cm);
  m.mlp.backward(cm, y, dh);
  m.users.backward(cu, dh);
  m.items.backward(ci, dh);
  nn::Sigmoid<B> sig;
  nn::Softplus<B> sp;
  nn::Tanh<B> th;
  nn::Sigmoid<B>::cache c1;
  nn::Softplus<B>::cache c2;
  nn::Tanh<B>::cache c3;
  B::matrix s1, s2, s3;
  sig.forward(y, s1, c1);
  sp.forward(y, s2, c2);
  th.forward(y, s3, c3);
  sig.backward(c1, s1, s2);
  nn::Dropout<B> drop(0.5, 4);
  nn::Dropout<B>::cache cd;
  drop.forward(h, dx, cd);
  drop.backward(cd, dx, dh);
  cd.replay = true;
  drop.forward(h, dx, cd);
  nn::BatchNorm<B> bn(16);
  nn::BatchNorm<B>::cache cb;
  bn.forward(h, dx, cb);
  bn.backward(cb, dx, dh);
  nn::LayerNorm<B> ln(16);
  nn::LayerNorm<B>::cache cl;
  ln.forward(h, dx, cl);
  ln.backward(cl, dx, dh);
  nn::GRU<B> gru(16, 8, 5);
  nn::GRU<B>::cache cg;
  B::matrix hs, dgx;
  gru.forward(h, 4, hs, cg);
  gru.backward(cg, hs, dgx);
  nn::LSTMCell<B> lstm(16, 8, 6);
  nn::LSTMCell<B>::cache ck;
  B::matrix h0(64, 8), c0(64, 8), h1, c1m, dlx, dlh, dlc;
  B::fill(h0, 0.0f);
  B::fill(c0, 0.0f);
  lstm.forward(h, h0, c0, h1, c1m, ck);
  lstm.backward(ck, h1, &c1m, dlx, dlh, dlc);
  nn::MultiHeadSelfAttention<B> attn(16, 2, true, 7);
  nn::MultiHeadSelfAttention<B>::cache ca;
  B::matrix ay, adx;
  attn.forward(h, 8, ay, ca);
  attn.backward(ca, ay, adx);
  // SGDL's straight-through Gumbel-softmax (core/fast_math.hpp in device code).
  methods::sgdl::StraightThroughGumbel<B> gumbel;
  B::matrix hard;
  B::vector dgumbel;
  gumbel.forward(cs, 32, 0.5, 9, hard);
  gumbel.backward(hard, dgumbel);
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
  // Per-sample JVPs of a model on a caller-owned workspace: exact and by finite differences.
  models::NeuMF<B> neumf(100, 200);
  data::pair_batch<B> batch{u, it};
  models::NeuMF<B>::workspace ws;
  B::vector logits, dlogits, jv_exact, jv_fd;
  neumf.forward(batch, ws, logits);
  B::copy(logits, dlogits);
  nn::zero_grad<B>(neumf);
  neumf.backward(ws, dlogits);
  nn::param_set<B> direction;
  direction.copy_grads(neumf);
  nn::jvp(neumf, batch, ws, direction, jv_exact, nn::jvp_mode::exact);
  nn::jvp(neumf, batch, ws, direction, jv_fd, nn::jvp_mode::finite_difference);
  // CDAE's factored per-sample gradient cosines (nn::per_sample, as SGDL takes them).
  {
    std::vector<offset_t> offsets(101, 0);
    std::vector<index_t> trained;
    for (std::size_t user = 0; user < 100; ++user) {
      for (std::size_t k = 0; k < 3; ++k) trained.push_back(static_cast<index_t>((5 * user + 11 * k) % 200));
      offsets[user + 1] = static_cast<offset_t>(trained.size());
    }
    models::cdae_options co;
    co.hidden = 16;
    models::CDAE<B> cdae(100, 200, csr_view{offsets, trained}, co, 8);
    nn::per_sample_options po;
    po.cosines = nn::gradient_cosine_mode::factored;
    nn::per_sample<models::CDAE<B>, losses::BCE> ps(cdae, po);
    B::vector labels, cosines;
    B::from_host(std::vector<float>(64, 1.0f), labels);
    ps.forward(batch, labels, losses::layout{64, 1});
    nn::param_set<B> theta_b;
    theta_b.copy_values(cdae);
    ps.gradient_cosines(theta_b, cosines);
    ps.backward(labels);  // CDAE::backward: the per-user sums and the input-weight gradient
  }
  // RL policies: Individual and TopK selection, REINFORCE's score on the logits.
  B::matrix probs(64, 2), pl(64, 2), dpl;
  B::fill(probs, 0.5f);
  B::fill(pl, 0.0f);
  B::index_vector actions, kept;
  rl::Individual::State<B> individual(rl::Individual{}, 5);
  individual.select(probs, it, actions);
  rl::TopK::State<B> top_k(rl::TopK(0.9), 6);
  top_k.select_batches(probs, 16, kept);
  rl::Reinforce<B>::score_dlogits(pl, actions, 0.5f, dpl);
  m.users.reset(9);
  std::printf("thrust-cuda ok: median %f, %zu parameters\n", static_cast<double>(median), nn::parameter_count<B>(m));
  return 0;
}

}  // namespace

int main() { return run(); }
