// The bots' own send routes (issue 18 §3): a bot whose config has "send" sends its signed trades
// through that endpoint only (a private-transaction RPC, so they never sit in a public mempool),
// while its reads — and the other bots' and the oracle's transactions — keep their own way. The
// bots of one guest share its key and so one Sender (one nonce sequence); each route is a named
// route of that Sender (SenderOptions::routes), journaled by name, so that even after a restart
// a bot's transaction is re-broadcast through its own route and never through another.
//
// Trust decision: the route is part of the bot's config, which is part of the guest's measured
// config; the endpoint is trusted to deliver, never to inform (chain/rpc/send_route.hpp).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bots/bot_error.hpp"
#include "bots/runner/config.hpp"
#include "chain/rpc/eth_client.hpp"
#include "chain/rpc/send_route.hpp"

namespace cvex::bots {

/// The name of bot `bot`'s route among the Sender's routes.
std::string send_route_name(const std::string& bot);

struct BotSendRoutes {
    std::map<std::string, std::shared_ptr<chain::SendRoute>> routes;   // by bot name: its figures
    std::map<std::string, std::shared_ptr<chain::EthClient>> clients;  // by route name: SenderOptions::routes
};

/// A SendRoute from `reads` to each bot's "send" endpoint. `read_urls` are the endpoints the
/// guest reads from: a bot's route may not be one of them.
cvex::Expected<BotSendRoutes, BotError> make_send_routes(const std::vector<BotConfig>& bots, const std::shared_ptr<chain::RpcTransport>& reads,
                                                         const std::vector<std::string>& read_urls, chain::SendRoute::Log log);

}  // namespace cvex::bots
