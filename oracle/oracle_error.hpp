// OracleError: why the VRF oracle could not start or rebuild its state from the chain, or why
// its fulfilments could not be read back and verified. The detail names the call or the request
// that failed; the oracle and `cvex vrf fulfilments` print it as is, so its text is the message.
#pragma once

#include <string>
#include <utility>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex::oracle {

/// e.g. "resync: eth_blockNumber: …", "request 7: the proof does not verify: …"
using OracleError = cvex::DetailError<struct OracleErrorTag>;

/// The failure `detail`, ready to return from a function whose error is an OracleError.
inline cvex::Unexpected<OracleError> oracle_failure(std::string detail) { return cvex::Unexpected{OracleError{std::move(detail)}}; }

}  // namespace cvex::oracle
