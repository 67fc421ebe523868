#include "chain/rpc/send_route_config.hpp"

#include "chain/rpc/http_client.hpp"

namespace cvex::chain {

cvex::Expected<SendRouteConfig, ConfigError> parse_send_route_config(const nlohmann::json& v, const std::string& at) {
    if (!v.is_object()) return cvex::Unexpected{ConfigError{at, "must be an object with \"url\" and optionally \"fallback\""}};
    if (auto ok = only_keys(v, at, {"url", "fallback"}); !ok) return cvex::Unexpected{ok.error()};
    if (!v.contains("url")) return cvex::Unexpected{ConfigError{at + ".url", "required: the endpoint's URL"}};
    if (!v["url"].is_string()) return cvex::Unexpected{ConfigError{at + ".url", "must be a URL string"}};
    SendRouteConfig c;
    c.url = v["url"].get<std::string>();
    auto url = Url::parse(c.url);
    if (!url) return cvex::Unexpected{ConfigError{at + ".url", url.error().message()}};
    if (!url->tls && !url->loopback())
        return cvex::Unexpected{ConfigError{at + ".url", "must be https:// (only a loopback endpoint may be http://): " + c.url}};
    if (v.contains("fallback")) {
        if (!v["fallback"].is_boolean()) return cvex::Unexpected{ConfigError{at + ".fallback", "must be true or false"}};
        c.fallback = v["fallback"].get<bool>();
    }
    return c;
}

}  // namespace cvex::chain
