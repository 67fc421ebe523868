#include "bots/runner/send_routes.hpp"

#include <algorithm>

#include "chain/rpc/json_rpc.hpp"

namespace cvex::bots {

std::string send_route_name(const std::string& bot) { return "bot:" + bot; }

cvex::Expected<BotSendRoutes, BotError> make_send_routes(const std::vector<BotConfig>& bots, const std::shared_ptr<chain::RpcTransport>& reads,
                                                         const std::vector<std::string>& read_urls, chain::SendRoute::Log log) {
    BotSendRoutes out;
    for (const auto& b : bots) {
        if (!b.send) continue;
        if (std::find(read_urls.begin(), read_urls.end(), b.send->url) != read_urls.end())
            return bot_failure("bot " + b.name + ": send.url " + b.send->url + " is a read endpoint: the send route must be another endpoint");
        auto sends = chain::JsonRpcClient::connect(b.send->url);
        if (!sends) return bot_failure("bot " + b.name + ": send.url: " + sends.error().message());
        auto route = std::make_shared<chain::SendRoute>(reads, std::shared_ptr<chain::RpcTransport>(std::move(*sends)), b.send->fallback, log);
        out.routes[b.name] = route;
        out.clients[send_route_name(b.name)] = std::make_shared<chain::EthClient>(route);
    }
    return out;
}

}  // namespace cvex::bots
