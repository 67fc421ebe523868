// ArtifactError: why a compiled contract's artifact (or a bare ABI file, or an ABI written as
// human-readable signatures) could not be read, or a library could not be linked into its
// creation code. The detail names the artifact and what in it is wrong
// ("T: linkReferences: lib/L.sol:L: length at byte 2 is not 20"); the CLI prints it.
#pragma once

#include <string>
#include <utility>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex::chain {

using ArtifactError = cvex::DetailError<struct ArtifactErrorTag>;

/// The failure `detail`, ready to return from a function whose error is an ArtifactError.
inline cvex::Unexpected<ArtifactError> artifact_failure(std::string detail) { return cvex::Unexpected{ArtifactError{std::move(detail)}}; }

}  // namespace cvex::chain
