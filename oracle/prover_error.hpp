// ProverError: why the oracle's prover could not be made for a key or could not prove a
// request (the public key is not a point, the request is for another key, proving failed). The
// oracle logs the detail after "oracle: ", so its text is the message; it never carries the secret.
#pragma once

#include <string>
#include <utility>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex::oracle {

/// e.g. "request 7 is for key hash 0x…, this key is 0x…"
using ProverError = cvex::DetailError<struct ProverErrorTag>;

/// The failure `detail`, ready to return from a function whose error is a ProverError.
inline cvex::Unexpected<ProverError> prover_failure(std::string detail) { return cvex::Unexpected{ProverError{std::move(detail)}}; }

}  // namespace cvex::oracle
