#include "support/guest_api.hpp"

#include <fstream>
#include <thread>

#include "chain/rpc/http_client.hpp"

namespace cvex::test {

nlohmann::json guest_health(uint16_t port) {
    chain::HttpClient http(*chain::Url::parse("http://127.0.0.1:" + std::to_string(port)),
                           chain::HttpTimeouts{std::chrono::milliseconds(500), std::chrono::milliseconds(500), std::chrono::milliseconds(2000)});
    auto r = http.get("/health");
    if (!r || r->status != 200) return nullptr;
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    return j.is_object() ? j : nlohmann::json(nullptr);
}

std::string guest_state(uint16_t port) {
    const auto h = guest_health(port);
    return h.is_object() ? h.value("state", "") : "";
}

bool eventually(int seconds, const std::function<bool()>& done) {
    for (int i = 0; i < seconds * 5; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return done();
}

std::unique_ptr<ChildProcess> start_guest(const std::filesystem::path& home, nlohmann::json config, const std::string& sim_root_dir) {
    std::filesystem::create_directories(home / "state");
    config["simulated_chip"] = (home / "chip.seed").string();
    config["state_dir"] = (home / "state").string();
    std::ofstream(home / "enclave.json") << config.dump();
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{std::string(CVEX_BIN_DIR) + "/cvex-enclave", "--config", (home / "enclave.json").string()},
        std::vector<std::string>{"CVEX_SIM_ROOT_DIR=" + sim_root_dir}, (home / "enclave.log").string());
}

}  // namespace cvex::test
