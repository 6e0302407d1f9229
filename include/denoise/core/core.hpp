// Umbrella header of denoise/core: version, macros, errors, random streams, static checks, index types, span and CSR views.
#pragma once

#include "atomic_file.hpp"
#include "csr_view.hpp"
#include "error.hpp"
#include "fast_math.hpp"
#include "json_writer.hpp"
#include "macros.hpp"
#include "random.hpp"
#include "span.hpp"
#include "static_checks.hpp"
#include "types.hpp"
#include "version.hpp"
