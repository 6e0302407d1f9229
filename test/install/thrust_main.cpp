// A user program for denoise::thrust alone: the Thrust backend's header, no Eigen, compiled by the
// host compiler on the system the package was installed with (OMP by default, or CPP).
#include <denoise/backends/thrust.hpp>

#include <cstdio>
#include <vector>

#if defined(DENOISE_THRUST_SYSTEM_OMP)
using thrust_system = denoise::backends::thrust_system::omp;
#elif defined(DENOISE_THRUST_SYSTEM_CPP)
using thrust_system = denoise::backends::thrust_system::cpp;
#else
#error "denoise::thrust should define DENOISE_THRUST_SYSTEM_OMP or DENOISE_THRUST_SYSTEM_CPP here"
#endif

int main() {
  using B = denoise::backends::Thrust<thrust_system, float>;
  B::matrix a(4, 3), b(3, 2), c;
  B::fill(a, 1.0f);
  B::fill(b, 2.0f);
  B::gemm(false, false, 1.0f, a, b, 0.0f, c);  // every entry: 3 * 1 * 2
  std::vector<float> out;
  B::to_host(c, out);
  if (out.size() != 8) return 1;
  for (const float v : out)
    if (v != 6.0f) return 2;
  std::printf("denoise::thrust consumer (%s): ok\n", B::name());
  return 0;
}
