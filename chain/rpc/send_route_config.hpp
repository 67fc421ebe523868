// The config of a send route (chain/rpc/send_route.hpp), wherever a config names one — the
// guest's top-level "send" and a bot's own "send": {"url": "https://…", "fallback": false}.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/expected.hpp"
#include "chain/encoding/json_config.hpp"

namespace cvex::chain {

struct SendRouteConfig {
    std::string url;        // https:// unless on loopback
    bool fallback = false;  // a failed send may go through the read endpoints
};

/// Parses the object at `at` ("send", "bots[0].send"); errors name the key. The URL must be
/// HTTPS unless on loopback: a plain-HTTP endpoint elsewhere is the host's to read, and the route
/// exists to keep transactions private. Whether it is one of the read endpoints is the caller's
/// to check: it knows them.
cvex::Expected<SendRouteConfig, ConfigError> parse_send_route_config(const nlohmann::json& v, const std::string& at);

}  // namespace cvex::chain
