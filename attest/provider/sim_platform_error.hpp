// SimPlatformError: why the simulated SEV-SNP platform could not be made, imported, or its
// chip seed or root published. The guest and the CLI print the detail after their own prefix
// ("simulated platform: …"), so its text is the message; it never carries key material.
#pragma once

#include <string>
#include <utility>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex::attest {

/// e.g. "simulated platform: vcek_key is not the VCEK's key"
using SimPlatformError = cvex::DetailError<struct SimPlatformErrorTag>;

/// The failure `detail`, ready to return from a function whose error is a SimPlatformError.
inline cvex::Unexpected<SimPlatformError> sim_platform_failure(std::string detail) {
    return cvex::Unexpected{SimPlatformError{std::move(detail)}};
}

}  // namespace cvex::attest
