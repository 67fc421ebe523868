// EvidenceError: why published attestation evidence (a guest's /evidence JSON, or a file in the
// validator's evidence directory) does not parse. The detail names the key that is missing or
// malformed ("evidence: \"nonce\" must be 32 bytes of 0x-hex"); the validator logs it.
#pragma once

#include <string>
#include <utility>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex::attest {

using EvidenceError = cvex::DetailError<struct EvidenceErrorTag>;

/// The failure `detail`, ready to return from a function whose error is an EvidenceError.
inline cvex::Unexpected<EvidenceError> evidence_failure(std::string detail) { return cvex::Unexpected{EvidenceError{std::move(detail)}}; }

}  // namespace cvex::attest
