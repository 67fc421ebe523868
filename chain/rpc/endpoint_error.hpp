// EndpointError: why an RPC endpoint could not be set up from its configuration: a URL that
// does not parse, or a quorum that cannot be formed from the URLs given. The detail names the
// URL and what is wrong with it ("URL 'ftp://x' must start with http:// or https://"); callers
// print it after the config key it came from, so its text is the message.
#pragma once

#include <string>
#include <utility>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex::chain {

using EndpointError = cvex::DetailError<struct EndpointErrorTag>;

/// The failure `detail`, ready to return from a function whose error is an EndpointError.
inline cvex::Unexpected<EndpointError> endpoint_failure(std::string detail) { return cvex::Unexpected{EndpointError{std::move(detail)}}; }

}  // namespace cvex::chain
