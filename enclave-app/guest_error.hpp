// GuestError: why the guest could not start or keep its key set: a part of it that failed
// (the attestation provider, key custody, sealing, the chain connection, the HTTP listener).
// The detail names the part and the config key where there is one ("rpc_url: URL 'x' has no
// host"); `cvex-enclave` prints it after "error: ", so its text is the message. It never
// carries key material.
#pragma once

#include <string>
#include <utility>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex::enclave {

/// e.g. "chain_id: the config says 31337, the node says 1"
using GuestError = cvex::DetailError<struct GuestErrorTag>;

/// The failure `detail`, ready to return from a function whose error is a GuestError.
inline cvex::Unexpected<GuestError> guest_failure(std::string detail) { return cvex::Unexpected{GuestError{std::move(detail)}}; }

}  // namespace cvex::enclave
