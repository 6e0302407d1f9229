// denoise::thrust alone: the Thrust backend's header, no Eigen, on the host device system.
#include <denoise/backends/thrust.hpp>

#include <cstdio>
#include <vector>

#if defined(DENOISE_THRUST_SYSTEM_OMP)
using thrust_system = denoise::backends::thrust_system::omp;
#elif defined(DENOISE_THRUST_SYSTEM_CPP)
using thrust_system = denoise::backends::thrust_system::cpp;
#else
#error "denoise::thrust should define DENOISE_THRUST_SYSTEM_OMP or DENOISE_THRUST_SYSTEM_CPP"
#endif

// The thrust package and denoise::thrust name the same device system.
#if defined(DENOISE_THRUST_SYSTEM_OMP)
static_assert(THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP, "Thrust's device system is not OMP");
#else
static_assert(THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CPP, "Thrust's device system is not CPP");
#endif

int main() {
  using B = denoise::backends::Thrust<thrust_system, float>;
  B::matrix a(4, 3), b(3, 2), c;
  B::fill(a, 1.0f);
  B::fill(b, 2.0f);
  B::gemm(false, false, 1.0f, a, b, 0.0f, c);
  std::vector<float> out;
  B::to_host(c, out);
  if (out.size() != 8) return 1;
  for (const float v : out)
    if (v != 6.0f) return 2;
  std::printf("denoise::thrust (%s): ok\n", B::name());
  return 0;
}
