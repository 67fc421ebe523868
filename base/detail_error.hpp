// DetailError<Tag>: the shape most cvex errors share, one sentence naming what failed (the
// config key, the call, the input) that callers print as is, so its text is the message.
// Each library declares its own by a tag that is never defined
// (`using BotError = cvex::DetailError<struct BotErrorTag>`): the types stay distinct, so a
// bot's error never passes for an oracle's, and each keeps its header saying what it covers.
// Errors a caller branches on carry a kind as well and are written out (MeasureError, RpcError).
#pragma once

#include <string>

namespace cvex {

template <class Tag>
struct DetailError {
    std::string detail;
    std::string message() const { return detail; }
};

}  // namespace cvex
