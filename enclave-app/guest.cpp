#include "enclave-app/guest.hpp"

#include <sys/random.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <openssl/sha.h>

#include "chain/crypto/keccak.hpp"
#include "chain/rpc/quorum_rpc.hpp"
#include "chain/rpc/send_route.hpp"
#include "attest/provider/provider_select.hpp"
#include "attest/report/report_data.hpp"
#include "attest/provider/sim_platform.hpp"
#include "enclave-app/guest_keys.hpp"

namespace cvex::enclave {

using cvex::Unexpected;

namespace {

/// A simulated platform the host made and handed in (`simulated_platform`; in a VM through QEMU's
/// fw_cfg). Like firmware it sits outside what the guest's MEASUREMENT covers, it reports the
/// MEASUREMENT the host computed for the image, and it names itself simulated in every certificate.
cvex::Expected<std::unique_ptr<attest::AttestationProvider>, GuestError> handed_in_provider(const EnclaveConfig& config, const Guest::Log& log) {
    std::ifstream in(config.simulated_platform, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return guest_failure("simulated_platform: cannot read " + config.simulated_platform);
    auto platform = attest::SimulatedSnpPlatform::import_for_guest(text.str());
    if (!platform) return guest_failure("simulated_platform " + config.simulated_platform + ": " + platform.error().message());
    const auto& m = (*platform)->guest().measurement;
    log("SIMULATED SEV-SNP provider: the platform handed in by the host (" + config.simulated_platform + ") reports MEASUREMENT " +
        cvex::to_hex(cvex::ByteView(m.data(), m.size()), false) +
        "; evidence proves nothing about hardware and validators accept it only with --trust-sim-root");
    return std::unique_ptr<attest::AttestationProvider>(
        std::make_unique<attest::SimulatedProvider>(std::shared_ptr<const attest::SimulatedSnpPlatform>(std::move(*platform))));
}

/// The configured attestation provider; a simulated one runs on a simulated chip, kept in the
/// `simulated_chip` file when one is configured so that its guests can unseal after a restart.
cvex::Expected<std::unique_ptr<attest::AttestationProvider>, GuestError> open_guest_provider(const EnclaveConfig& config,
                                                                                               const Guest::Log& log) {
    if (config.provider != attest::ProviderKind::kSimulated) {
        attest::ProviderSelection sel;
        sel.kind = config.provider;
        auto p = attest::open_provider(sel);
        if (!p) return guest_failure("attestation provider: " + p.error().message());
        return std::move(*p);
    }
    if (!config.simulated_platform.empty()) return handed_in_provider(config, log);
    attest::SimulatedGuest sg;
    sg.measurement = config.simulated_measurement;
    std::optional<std::array<uint8_t, 32>> chip;
    if (config.simulated_chip) {
        auto seed = attest::load_or_create_sim_chip(*config.simulated_chip);
        if (!seed) return guest_failure(seed.error().message());
        chip = *seed;
    }
    auto platform = attest::SimulatedSnpPlatform::create(sg, chip);
    if (!platform) return guest_failure("simulated platform: " + platform.error().message());
    auto root = attest::publish_sim_root(**platform);
    if (!root) return guest_failure("publishing the simulated root: " + root.error().message());
    log("SIMULATED SEV-SNP provider: evidence is signed by a development chain (root " + *root +
        "); it proves nothing about hardware and validators accept it only with --trust-sim-root" +
        (config.simulated_chip ? "; its chip secret is the host file " + *config.simulated_chip + ", so sealing protects nothing" : ""));
    return std::unique_ptr<attest::AttestationProvider>(
        std::make_unique<attest::SimulatedProvider>(std::shared_ptr<const attest::SimulatedSnpPlatform>(std::move(*platform))));
}

}  // namespace

cvex::Expected<std::unique_ptr<Guest>, GuestError> Guest::create(EnclaveConfig config, Log log) {
    std::unique_ptr<Guest> g(new Guest());
    g->config_ = std::move(config);
    g->log_ = std::move(log);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(g->config_.source.data()), g->config_.source.size(), digest);
    g->config_sha256_ = cvex::to_hex(cvex::ByteView(digest, sizeof digest), false);
    auto provider = open_guest_provider(g->config_, g->log_);
    if (!provider) return Unexpected{std::move(provider).error()};
    g->provider_ = std::move(*provider);

    if (g->config_.state_dir && !std::filesystem::is_directory(*g->config_.state_dir))
        return guest_failure("state_dir " + *g->config_.state_dir + ": not a directory");
    auto custody = KeyCustody::create();
    if (!custody) return guest_failure("key custody: " + custody.error().message());
    g->custody_ = std::move(*custody);
    // Trust decision (guest_keys.hpp): keys come back only from a blob the firmware's derived key opens.
    auto keys = restore_or_generate_keys(*g->provider_, *g->custody_, g->config_.state_dir, g->log_);
    if (!keys) return Unexpected{std::move(keys).error()};
    g->eth_key_ = keys->eth;
    g->vrf_key_ = keys->vrf;
    g->key_origin_ = keys->origin;
    auto vrf_pub = g->custody_->public_key(g->vrf_key_);
    if (!vrf_pub) return guest_failure("VRF key: " + vrf_pub.error().message());
    std::array<uint8_t, 64> xy{};
    std::copy(vrf_pub->begin() + 1, vrf_pub->end(), xy.begin());
    g->vrf_key_hash_ = attest::point_key_hash(xy);
    auto signer = CustodySigner::create(*g->custody_, g->eth_key_);
    if (!signer) return guest_failure("signer: " + signer.error().message());
    g->signer_ = std::make_shared<CustodySigner>(*signer);
    g->address_ = g->signer_->address();

    if (auto ok = g->connect_chain(); !ok) return Unexpected{std::move(ok).error()};
    auto sender = chain::Sender::create(g->eth_, g->signer_, g->sender_options());
    if (!sender) return guest_failure("sender: " + sender.error().message());
    g->sender_ = std::shared_ptr<chain::Sender>(std::move(*sender));
    g->registry_ = std::make_unique<attest::RegistryClient>(g->config_.registry, g->eth_, g->sender_);
    if (g->config_.key_handover) {
        g->handover_ = std::make_unique<attest::KeyHandoverClient>(*g->config_.key_handover, g->eth_, g->sender_);
        g->handover_scanned_to_ = g->config_.handover.from_block;
    }

    Guest* raw = g.get();
    auto http = HttpServer::start(g->config_.http_listen, g->config_.http_port,
                                  [raw](std::string_view, std::string_view target) { return raw->serve(target); });
    if (!http) return Unexpected{std::move(http).error()};
    g->http_ = std::move(*http);
    g->log_("enclave " + g->address().checksum_hex() + " serving /health /attestation /metrics on " + g->config_.http_listen + ":" +
            std::to_string(g->http_->port()));
    g->figures_thread_ = std::thread([raw] { raw->refresh_figures(); });
    return g;
}

Guest::~Guest() {
    stopping_ = true;
    if (figures_thread_.joinable()) figures_thread_.join();
}

// Every read the guest acts on goes through k of n endpoints when the config names several
// (chain/rpc/quorum_rpc.hpp): the chain id bound into REPORT_DATA included.
cvex::Expected<void, GuestError> Guest::connect_chain() {
    std::shared_ptr<chain::RpcTransport> transport;
    if (config_.rpc_urls.size() == 1) {
        auto c = chain::JsonRpcClient::connect(config_.rpc_urls.front());
        if (!c) return guest_failure("rpc_url: " + c.error().message());
        transport = std::shared_ptr<chain::RpcTransport>(std::move(*c));
    } else {
        chain::QuorumOptions qo;
        qo.threshold = config_.rpc_quorum;
        auto q = chain::QuorumRpc::connect(config_.rpc_urls, qo, chain::QuorumRpc::member_defaults(), log_);
        if (!q) return guest_failure("rpc: " + q.error().message());
        quorum_ = std::shared_ptr<chain::QuorumRpc>(std::move(*q));
        transport = quorum_;
        log_("reading the chain through " + quorum_->url());
    }
    // The bots' own routes send beside the read transport, not through the guest's own route.
    auto routes = bots::make_send_routes(config_.bots, transport, config_.rpc_urls, log_);
    if (!routes) return guest_failure(routes.error().message());
    bot_routes_ = std::move(*routes);
    if (config_.send_url) {
        auto s = chain::JsonRpcClient::connect(*config_.send_url);
        if (!s) return guest_failure("send.url: " + s.error().message());
        send_route_ = std::make_shared<chain::SendRoute>(transport, std::shared_ptr<chain::RpcTransport>(std::move(*s)), config_.send_fallback, log_);
        transport = send_route_;
        log_("signed transactions go through " + *config_.send_url + (config_.send_fallback ? " (falling back to the read endpoints)" : " only"));
    }
    eth_ = std::make_shared<chain::EthClient>(transport);
    auto chain_id = eth_->chain_id();
    if (!chain_id) return guest_failure("rpc " + transport->url() + ": " + chain_id.error().message());
    if (*chain_id != config_.chain_id)
        return guest_failure("chain_id: the config says " + std::to_string(config_.chain_id) + ", the node says " + std::to_string(*chain_id));
    return {};
}

// /metrics never waits for the network: the figures that need it are refreshed here.
void Guest::refresh_figures() {
    for (auto next = std::chrono::steady_clock::now(); !stopping_; std::this_thread::sleep_for(std::chrono::milliseconds(100))) {
        if (std::chrono::steady_clock::now() < next) continue;
        next = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        auto bal = eth_->balance(address());
        if (!bal) continue;
        std::lock_guard lock(mutex_);
        balance_ = *bal;
    }
}

chain::Address Guest::address() const {
    std::lock_guard lock(address_mutex_);
    return address_;
}

chain::SenderOptions Guest::sender_options() const {
    chain::SenderOptions so;
    so.fees.base_fee_multiplier = config_.base_fee_multiplier;
    so.fees.max_fee_cap = config_.max_fee_wei;
    so.fees.max_spend_per_hour = config_.max_spend_per_hour_wei;
    so.routes = bot_routes_.clients;
    return so;
}

bool Guest::register_vrf_key(const oracle::Prover& prover) {
    oracle::CoordinatorClient coordinator(*config_.coordinator, eth_, sender_);
    auto key = coordinator.proving_key(prover.key_hash());
    if (!key) {
        log_("coordinator: " + key.error().message());
        return false;
    }
    if (key->active && key->oracle == address()) return true;
    if (key->active) {
        // A replica: the key was registered by another guest holding it; the coordinator accepts
        // this guest's fulfilments because it is attested with the key hash itself.
        log_("coordinator: key " + prover.key_hash().hex() + " is registered to " + key->oracle.checksum_hex() +
             "; this enclave, attested with the same key, serves it as a replica");
        return true;
    }
    auto r = coordinator.register_proving_key(prover.public_point(), address());
    if (!r) {
        log_("coordinator: registering the VRF key: " + r.error().message());
        return false;
    }
    log_("VRF proving key registered in the coordinator: key hash " + prover.key_hash().hex() + ", public key " +
         cvex::to_hex(prover.public_key()));
    return true;
}

bool Guest::start_oracle() {
    // The VRF key never leaves custody: the prover borrows it for each proof.
    auto pub = custody_->public_key(vrf_key_);
    if (!pub) return false;
    vrf::PointBytes compressed{};
    compressed[0] = ((*pub)[64] & 1) ? 0x03 : 0x02;
    std::copy(pub->begin() + 1, pub->begin() + 33, compressed.begin() + 1);
    const KeyCustody* custody = custody_.get();
    const KeyHandle handle = vrf_key_;
    auto secret = std::make_shared<vrf::LentSecret>(
        [custody, handle](const vrf::SecretUse& use) { return custody->with_secret(handle, use).has_value(); });
    auto prover = oracle::Prover::create(secret, compressed);
    if (!prover) {
        log_("oracle: " + prover.error().message());
        return false;
    }
    if (!register_vrf_key(*prover)) return false;
    oracle::OracleOptions o;
    o.coordinator = *config_.coordinator;
    o.start_block = config_.oracle->start_block;
    o.min_confirmations = config_.confirmations;
    o.max_batch = config_.oracle->max_batch;
    o.max_in_flight = config_.oracle->max_in_flight;
    o.poll_interval = std::chrono::milliseconds(config_.oracle->poll_ms);
    o.replica_index = config_.oracle->replica_index;
    o.replica_count = config_.oracle->replica_count;
    o.takeover_blocks = config_.oracle->takeover_blocks;
    auto vrf_oracle = oracle::VrfOracle::create(o, eth_, sender_, std::move(*prover), log_);
    if (!vrf_oracle) {
        log_(vrf_oracle.error().message());
        return false;
    }
    oracle_ = std::move(*vrf_oracle);
    oracle_view_ = oracle_.get();
    log_("VRF oracle running for key hash " + oracle_->key_hash().hex());
    return true;
}

bool Guest::run_workloads(const std::function<bool()>& stop) {
    {
        std::lock_guard lock(mutex_);
        state_ = "starting-workloads";
    }
    if (config_.oracle && !start_oracle()) return false;
    // The bots share the guest's key and transaction manager, so their nonces never collide.
    for (const auto& b : config_.bots) {
        const auto route = bot_routes_.routes.find(b.name);
        auto bot = bots::Bot::create(b, eth_, sender_, log_, route == bot_routes_.routes.end() ? nullptr : route->second);
        if (!bot) {
            log_(bot.error().message());
            return false;
        }
        bots_.push_back(std::move(*bot));
    }
    bots_ready_ = true;
    if (!oracle_ && bots_.empty()) log_("no workload configured; serving the API only");
    {
        std::lock_guard lock(mutex_);
        state_ = "serving";
    }
    // A holder that handed its whole key set to a successor stops too (guest_handover.cpp).
    const std::function<bool()> done = [this, &stop] { return stop() || retired_.load(); };
    std::vector<std::thread> workers;
    if (oracle_) workers.emplace_back([this, &done] { oracle_->run(done); });
    for (auto& bot : bots_) workers.emplace_back([&bot, &done] { bot->run(done); });
    // Re-attest before the attestation lapses (a fresh report and nonce; the validators approve
    // the new registration while the current attestation still holds, so there is no gap).
    for (auto next = std::chrono::steady_clock::now(); !done(); std::this_thread::sleep_for(std::chrono::milliseconds(200))) {
        if (std::chrono::steady_clock::now() < next) continue;
        renew_if_due(stop);
        serve_handovers();
        next = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    }
    for (auto& w : workers) w.join();
    return true;
}

std::string Guest::metrics() {
    std::ostringstream m;
    std::lock_guard lock(mutex_);
    const auto bal = balance_;  // refreshed in the background: /metrics never waits for the network
    m << "# HELP cvex_attested 1 when the enclave key is attested in the registry.\n# TYPE cvex_attested gauge\n"
      << "cvex_attested " << (attested_ ? 1 : 0) << "\n"
      << "# HELP cvex_attestation_expiry_seconds Unix time the attestation expires.\n# TYPE cvex_attestation_expiry_seconds gauge\n"
      << "cvex_attestation_expiry_seconds " << expires_at_ << "\n";
    if (bal) {
        // Gauges are doubles: wei as a float loses precision only far beyond any real balance's meaning.
        m << "# HELP cvex_balance_wei The enclave key's balance.\n# TYPE cvex_balance_wei gauge\ncvex_balance_wei " << bal->dec() << "\n"
          << "# HELP cvex_balance_low 1 when the balance is below min_balance_wei.\n# TYPE cvex_balance_low gauge\ncvex_balance_low "
          << (*bal < config_.min_balance_wei ? 1 : 0) << "\n";
    }
    if (quorum_) m << quorum_->prometheus();
    if (send_route_) m << send_route_->prometheus();
    if (const auto* o = oracle_view_.load()) m << o->metrics().prometheus();
    if (bots_ready_ && !bots_.empty()) {
        m << "# HELP cvex_bot_trades_mined_total Trades mined, per bot (and the other cvex_bot_* series).\n"
             "# TYPE cvex_bot_trades_mined_total counter\n";
        for (const auto& b : bots_) m << b->prometheus();
    }
    return m.str();
}

HttpReply Guest::serve(std::string_view target) {
    if (target == "/health") {
        std::lock_guard lock(mutex_);
        return {200, "application/json",
                "{\"status\":\"ok\",\"state\":\"" + state_ + "\",\"enclave\":\"" + address().checksum_hex() + "\",\"simulated\":" +
                    (provider_->simulated() ? "true" : "false") +
                    ",\"keys\":\"" + std::string(to_string(key_origin_)) + "\",\"vrf_key_hash\":\"" + vrf_key_hash_.hex() + "\"}\n"};
    }
    if (target == "/attestation") {
        std::lock_guard lock(mutex_);
        if (!evidence_) return {503, "application/json", "{\"error\":\"no evidence yet: state " + state_ + "\"}\n"};
        // Beside the evidence, the config this guest runs with (in an image: the measured file,
        // which the manifest's config.sha256 names), so a validator sees what it approves.
        auto j = nlohmann::json::parse(to_json(*evidence_));
        j["config"] = nlohmann::json::parse(config_.source, nullptr, false);
        if (j["config"].is_discarded()) j["config"] = nullptr;
        j["config_sha256"] = config_sha256_;
        return {200, "application/json", j.dump() + "\n"};
    }
    if (target == "/metrics") return {200, "text/plain; version=0.0.4", metrics()};
    return {404, "text/plain", "not found: GET /health, /attestation or /metrics\n"};
}

}  // namespace cvex::enclave
