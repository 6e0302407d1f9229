// Index types shared by every layer. User and item ids are dense 32-bit indices (half the memory
// traffic of 64-bit in embedding gathers); offsets into flat arrays are 64-bit.
#pragma once

#include <cstdint>

namespace denoise {

using index_t = std::int32_t;   ///< dense user, item, field-value or instance index
using offset_t = std::int64_t;  ///< position in a flat array (CSR offsets, instance ids)

}  // namespace denoise
