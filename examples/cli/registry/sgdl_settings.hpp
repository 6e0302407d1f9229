// What the CLI's "sgdl" method hands the pairs family's SGDL runner: the library's options and the
// CLI-side validation schedule (SGDL validates in phase II only, every eval_every epochs).
#pragma once

#include <cstddef>

#include <denoise/methods/sgdl/sgdl_options.hpp>

namespace denoise_cli {

struct sgdl_settings {
  denoise::methods::sgdl::sgdl_options options;
  std::size_t eval_every = 5;  ///< phase-II epochs between validations [ours, as the code]
};

}  // namespace denoise_cli
