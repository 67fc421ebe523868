#include "attest/validator/validator.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "chain/rpc/http_client.hpp"
#include "chain/crypto/keccak.hpp"
#include "attest/verify/snp_verifier.hpp"

namespace cvex::attest {

namespace {

SnpCheck check(std::string name, bool pass, std::string expected, std::string actual) {
    return SnpCheck{std::move(name), pass, std::move(expected), std::move(actual)};
}

std::string lower_hex_no_prefix(const chain::Address& a) { return a.hex().substr(2); }

// Evidence that has not appeared yet is retried this many polls before the registration is
// rejected as unverifiable (the guest publishes right after its register transaction is mined).
constexpr int kMaxEvidenceAttempts = 40;

}  // namespace

Decision evaluate_registration(const Registration& reg, const PublishedEvidence& ev, const ValidatorOptions& options, std::time_t now,
                               SnpCertCache* cache) {
    Decision d;
    auto& c = d.checks;
    c.push_back(check("evidence.enclave", ev.enclave == reg.enclave, reg.enclave.checksum_hex(), ev.enclave.checksum_hex()));
    const chain::Hash32 report_hash = chain::keccak256(ev.report);
    c.push_back(check("evidence.report_hash", report_hash == reg.report_hash, reg.report_hash.hex(), report_hash.hex()));

    if (ev.signer_cert.empty()) {
        c.push_back(check("evidence.signer_cert", false, "a VCEK or VLEK", "none"));
    } else {
        const std::string chain_pem = ev.chain_pem.empty() ? options.chain_pem : ev.chain_pem;
        SnpVerifyOptions vo;
        vo.at = now;
        vo.trust_sim_root = options.trust_sim_root;
        vo.sim_root_dir = options.sim_root_dir;
        vo.cache = cache;
        vo.crl = ByteView(reinterpret_cast<const uint8_t*>(options.crl.data()), options.crl.size());
        auto v = verify_snp_report(ev.report, ev.signer_cert,
                                   cvex::ByteView(reinterpret_cast<const uint8_t*>(chain_pem.data()), chain_pem.size()), vo);
        if (!v) {
            c.push_back(check("evidence.verifiable", false, "a report, a signer certificate and its chain", v.error().message()));
        } else {
            c.insert(c.end(), v->checks.begin(), v->checks.end());
            const auto& r = v->report;
            const bool data_ok = std::equal(r.report_data.begin(), r.report_data.end(), reg.report_data.begin());
            c.push_back(check("registration.report_data", data_ok, cvex::to_hex(reg.report_data), cvex::to_hex(r.report_data)));
            const chain::Hash32 mid = chain::keccak256(r.measurement);
            c.push_back(check("registration.measurement_id", mid == reg.measurement_id, reg.measurement_id.hex(), mid.hex()));
            auto policy = evaluate_snp_policy(options.policy, r, v->product);
            c.insert(c.end(), policy.begin(), policy.end());
        }
    }
    d.approve = all_passed(c);
    for (const auto& x : c)
        if (!x.pass) {
            d.reason = x.name + ": expected " + x.expected + ", got " + x.actual;
            break;
        }
    return d;
}

Validator::Validator(RegistryClient registry, ValidatorOptions options, Log log)
    : registry_(std::move(registry)), options_(std::move(options)), log_(std::move(log)), next_block_(options_.from_block) {}

std::optional<PublishedEvidence> Validator::fetch_evidence(const chain::Address& enclave, std::string& why) {
    if (!options_.evidence_dir.empty()) {
        const std::string path = options_.evidence_dir + "/" + lower_hex_no_prefix(enclave) + ".json";
        std::ifstream in(path);
        if (in) {
            std::stringstream ss;
            ss << in.rdbuf();
            auto e = parse_published_evidence(ss.str());
            if (e && e->enclave == enclave) return *e;
            why = e ? path + " is for another enclave" : path + ": " + e.error();
        } else {
            why = "no " + path;
        }
    }
    for (const auto& url : options_.evidence_urls) {
        auto parsed = chain::Url::parse(url);
        if (!parsed) {
            why = url + ": " + parsed.error();
            continue;
        }
        chain::HttpClient http(*parsed, chain::HttpTimeouts{std::chrono::milliseconds(2000), std::chrono::milliseconds(2000),
                                                            std::chrono::milliseconds(5000)});
        auto res = http.get();
        if (!res || res->status != 200) {
            why = url + ": " + (res ? "HTTP " + std::to_string(res->status) : res.error().message());
            continue;
        }
        auto e = parse_published_evidence(res->body);
        if (!e) {
            why = url + ": " + e.error();
            continue;
        }
        if (e->enclave == enclave) return *e;
    }
    if (why.empty()) why = "no evidence source publishes enclave " + enclave.checksum_hex();
    return std::nullopt;
}

void Validator::handle(const RegisteredEvent& ev) {
    const std::string who = "registration " + std::to_string(ev.registration_id) + " of " + ev.enclave.checksum_hex();
    auto reg = registry_.registration(ev.registration_id);
    if (!reg) {
        log_(who + ": cannot read it: " + reg.error().what);
        return;
    }
    if (reg->status != Registration::kPending) {
        retries_.erase(ev.registration_id);
        return;  // superseded, voided or already attested: nothing to approve
    }
    auto mine = registry_.contract().sender() ? registry_.has_approved(ev.registration_id, registry_.contract().sender()->address())
                                              : cvex::Expected<bool, chain::ContractError>(false);
    if (mine && *mine) {
        retries_.erase(ev.registration_id);
        return;
    }
    std::string why;
    auto evidence = fetch_evidence(ev.enclave, why);
    if (!evidence) {
        if (++retries_[ev.registration_id] < kMaxEvidenceAttempts) return;  // try again next poll
        log_(who + ": REJECT: evidence unavailable: " + why);
        if (auto r = registry_.reject(ev.enclave, ev.registration_id, "evidence unavailable: " + why); !r) log_(who + ": reject failed: " + r.error().what);
        retries_.erase(ev.registration_id);
        return;
    }
    retries_.erase(ev.registration_id);
    const Decision d = evaluate_registration(*reg, *evidence, options_, std::time(nullptr), &cache_);
    if (d.approve) {
        auto r = registry_.approve(ev.enclave, ev.registration_id, reg->report_hash);
        log_(who + (r ? ": APPROVED after " + std::to_string(d.checks.size()) + " checks" + (evidence->simulated ? " (SIMULATED evidence, trusted by --trust-sim-root)" : "")
                      : ": approval failed: " + r.error().what));
    } else {
        log_(who + ": REJECT: " + d.reason);
        if (auto r = registry_.reject(ev.enclave, ev.registration_id, d.reason); !r) log_(who + ": reject failed: " + r.error().what);
    }
}

cvex::Expected<size_t, std::string> Validator::poll_once() {
    auto head = registry_.contract().client().block_number();
    if (!head) return cvex::Unexpected{"block number: " + head.error().text()};
    std::vector<RegisteredEvent> events;
    if (*head >= next_block_) {
        auto got = registry_.registered_events(next_block_, *head);
        if (!got) return cvex::Unexpected{got.error().what};
        events = std::move(*got);
    }
    // Registrations still waiting for their evidence are looked at again.
    std::vector<RegisteredEvent> retry;
    for (const auto& [id, attempts] : retries_) {
        (void)attempts;
        auto reg = registry_.registration(id);
        if (reg) retry.push_back(RegisteredEvent{reg->enclave, id, reg->measurement_id, reg->report_hash, {}, {}, 0});
    }
    if (*head >= next_block_) next_block_ = *head + 1;
    for (const auto& e : retry) handle(e);
    for (const auto& e : events)
        if (!retries_.contains(e.registration_id)) handle(e);
    return events.size();
}

void Validator::run(const std::function<bool()>& stop) {
    while (!stop()) {
        if (auto n = poll_once(); !n) log_("poll failed (will retry): " + n.error());
        std::this_thread::sleep_for(options_.poll_interval);
    }
}

}  // namespace cvex::attest
