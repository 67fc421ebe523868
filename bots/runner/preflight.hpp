// A bot's config checked against the chain before it starts (issue 21): the host writes the
// config file, so nothing in it is taken on trust, and a mistake that would leave a bot silently
// idle (or retrying a call forever) is one plain line naming the config key and what the chain
// says instead:
//   bots[0].venue_a.pool: no contract at 0x…
//   bots[0].venue_a.pool: 0x… is a V3 pool, not a V2 pair
//   bots[0].venue_b.pool: 0x… is not a target of vault 0x… (its kind there is None)
//   bots[0].base_token: 0x… is not a token of venue_b.pool 0x… (it trades 0x…/0x…)
//   bots[0].base_token: 0x… is not allowed by vault 0x…
//   bots[0].measurement: key 0x… is not attested for measurement id 0x… in registry 0x…
// The vault still enforces every one of these on each trade; this only makes the refusal early
// and readable.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chain/rpc/eth_client.hpp"
#include "bots/runner/config.hpp"

namespace cvex::bots {

struct PreflightProblem {
    std::string key;     // the config key, e.g. "bots[0].venue_a.pool"
    std::string detail;  // what the chain says
    std::string message() const { return key + ": " + detail; }
};

/// Every problem found for bot `index` of the config, trading with key `enclave` (empty: ready).
std::vector<PreflightProblem> preflight_bot(const BotConfig& config, size_t index, const chain::Address& enclave,
                                            std::shared_ptr<chain::EthClient> client);

}  // namespace cvex::bots
