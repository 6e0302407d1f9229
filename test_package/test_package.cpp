// denoise::denoise alone: the umbrella header, the Eigen backend, a seeded stream.
#include <denoise/denoise.hpp>

#include <cstdio>
#include <vector>

#if defined(THRUST_DEVICE_SYSTEM) || defined(DENOISE_THRUST_SYSTEM_CPP) || defined(DENOISE_THRUST_SYSTEM_OMP) || \
    defined(DENOISE_THRUST_SYSTEM_CUDA)
#error "denoise::denoise brought in the Thrust component"
#endif

int main() {
  denoise::random::rng engine(7, "test_package");
  using B = denoise::backends::Eigen<float>;
  B::matrix a(4, 3), b(3, 2), c;
  B::fill(a, 1.0f);
  B::fill(b, 2.0f);
  B::gemm(false, false, 1.0f, a, b, 0.0f, c);
  std::vector<float> out;
  B::to_host(c, out);
  if (out.size() != 8 || out[0] != 6.0f) return 1;
  std::printf("denoise %s (denoise::denoise, %s): first draw %llu\n", denoise::version::string(), B::name(),
              static_cast<unsigned long long>(engine()));
  return 0;
}
