// The README's host-compiler snippet: denoise::denoise and denoise::thrust linked together, the
// umbrella header, and the two backends computing the same product.
#include <denoise/denoise.hpp>

#include <cstdio>
#include <vector>

#if defined(DENOISE_THRUST_SYSTEM_OMP)
using thrust_system = denoise::backends::thrust_system::omp;
#else
using thrust_system = denoise::backends::thrust_system::cpp;
#endif

template <class B>
std::vector<float> product() {
  typename B::matrix a(5, 4), b(4, 3), c;
  B::fill(a, 0.5f);
  B::fill(b, 3.0f);
  B::gemm(false, false, 1.0f, a, b, 0.0f, c);
  std::vector<float> out;
  B::to_host(c, out);
  return out;
}

int main() {
  const auto cpu = product<denoise::backends::Eigen<float>>();
  const auto thrust = product<denoise::backends::Thrust<thrust_system, float>>();
  if (cpu.size() != 15 || cpu != thrust || cpu[0] != 6.0f) return 1;
  std::printf("denoise::denoise + denoise::thrust consumer: ok\n");
  return 0;
}
