// BotError: why a bot could not start, read the chain or report. The detail names what failed
// (a config key such as "venue_b.pool", a contract call with its decoded reason); the runner logs
// it as is, so its text is the message.
#pragma once

#include <string>
#include <utility>

#include "base/detail_error.hpp"
#include "base/expected.hpp"

namespace cvex::bots {

/// e.g. "slippage_bps: must be at most 1000"
using BotError = cvex::DetailError<struct BotErrorTag>;

/// The failure `detail`, ready to return from a function whose error is a BotError.
inline cvex::Unexpected<BotError> bot_failure(std::string detail) { return cvex::Unexpected{BotError{std::move(detail)}}; }

}  // namespace cvex::bots
