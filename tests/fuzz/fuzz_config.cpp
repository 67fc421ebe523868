// Fuzz target `config`: the JSON configs an operator (on the host: not trusted) hands cvex — the
// cvex-enclave config with its oracle and bots sections, the bots array alone (`cvex bot run
// --config`), and the SNP verification policy (`--policy`). Each must either parse or name the key
// that is wrong; nothing may throw.
#include <nlohmann/json.hpp>

#include "attest/verify/snp_policy.hpp"
#include "bots/runner/config.hpp"
#include "enclave-app/enclave_config.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::attest;
using namespace cvex::bots;
using namespace cvex::enclave;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = cvex::fuzz::text(data, size);
    if (auto c = parse_enclave_config(text); !c)
        CVEX_FUZZ_CHECK(!c.error().message().empty(), "a config error has a message");
    if (auto p = parse_snp_policy(text); !p)
        CVEX_FUZZ_CHECK(!p.error().message().empty(), "a policy error has a message");
    const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return 0;
    const nlohmann::json& bots = j.is_object() && j.contains("bots") ? j.at("bots") : j;
    if (auto b = parse_bot_configs(bots); b) {
        for (const auto& bot : *b) {
            CVEX_FUZZ_CHECK(!bot.name.empty(), "a parsed bot has a name");
            (void)bot.v2_pools();
            (void)bot.v3_pools();
        }
    } else {
        CVEX_FUZZ_CHECK(!b.error().message().empty(), "a bot config error has a message");
    }
    return 0;
}
