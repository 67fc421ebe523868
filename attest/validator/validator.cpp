#include "attest/validator/validator.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <atomic>
#include <future>
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
            std::copy(r.report_data.begin(), r.report_data.end(), d.report_data.begin());
            d.measurement_id = mid;
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

void Validator::say(const std::string& line) {
    std::lock_guard lock(log_mutex_);
    log_(line);
}

// Each evidence URL once per poll, all at once: a guest's /attestation names its enclave, so one
// fetch serves every registration, and a slow or dead URL costs one timeout, not one per registration.
Validator::EvidenceByEnclave Validator::fetch_url_evidence() {
    std::vector<std::future<std::optional<PublishedEvidence>>> pending;
    for (const auto& url : options_.evidence_urls) {
        pending.push_back(std::async(std::launch::async, [url]() -> std::optional<PublishedEvidence> {
            auto parsed = chain::Url::parse(url);
            if (!parsed) return std::nullopt;
            chain::HttpClient http(*parsed, chain::HttpTimeouts{std::chrono::milliseconds(2000), std::chrono::milliseconds(2000),
                                                                std::chrono::milliseconds(5000)});
            auto res = http.get();
            if (!res || res->status != 200) return std::nullopt;
            auto e = parse_published_evidence(res->body);
            return e ? std::optional<PublishedEvidence>(*e) : std::nullopt;
        }));
    }
    EvidenceByEnclave out;
    for (auto& p : pending)
        if (auto e = p.get()) out.insert_or_assign(e->enclave, *e);
    return out;
}

std::optional<PublishedEvidence> Validator::find_evidence(const chain::Address& enclave, const EvidenceByEnclave& from_urls,
                                                          std::string& why) const {
    if (!options_.evidence_dir.empty()) {
        const std::string path = options_.evidence_dir + "/" + lower_hex_no_prefix(enclave) + ".json";
        std::ifstream in(path);
        if (in) {
            std::stringstream ss;
            ss << in.rdbuf();
            auto e = parse_published_evidence(ss.str());
            if (e && e->enclave == enclave) return *e;
            why = e ? path + " is for another enclave" : path + ": " + e.error().message();
        }
    }
    if (auto it = from_urls.find(enclave); it != from_urls.end()) return it->second;
    if (why.empty()) why = "no evidence source publishes enclave " + enclave.checksum_hex();
    return std::nullopt;
}

Validator::Outcome Validator::handle(const RegisteredEvent& ev, const EvidenceByEnclave& from_urls) {
    // Evidence first: a registration nobody publishes evidence for costs nothing (no RPC call,
    // no transaction) — that is what makes registration spam cheap to ignore.
    std::string why;
    auto evidence = find_evidence(ev.enclave, from_urls, why);
    if (!evidence) return Outcome::kWaitForEvidence;
    // Evidence naming another registration is not evidence for this one: a guest re-attesting
    // publishes its new evidence only once its registration is mined, so for a moment its URL
    // still serves the previous registration's. Judging that would reject an honest renewal.
    if (evidence->registration_id != 0 && evidence->registration_id != ev.registration_id) return Outcome::kWaitForEvidence;
    const std::string who = "registration " + std::to_string(ev.registration_id) + " of " + ev.enclave.checksum_hex();
    auto reg = registry_.registration(ev.registration_id);
    if (!reg) {
        say(who + ": cannot read it: " + reg.error().message());
        return Outcome::kRetry;
    }
    if (reg->status != Registration::kPending) return Outcome::kDone;  // attested, superseded, void, rejected or expired
    if (const auto& sender = registry_.contract().sender()) {
        auto approved = registry_.has_approved(ev.registration_id, sender->address());
        auto rejected = registry_.has_rejected(ev.registration_id, sender->address());
        if ((approved && *approved) || (rejected && *rejected)) return Outcome::kDone;
    }
    const Decision d = evaluate_registration(*reg, *evidence, options_, std::time(nullptr), &cache_);
    if (d.approve) {
        auto r = registry_.approve(ev.enclave, ev.registration_id, reg->report_hash, d.report_data, d.measurement_id);
        say(who + (r ? ": APPROVED after " + std::to_string(d.checks.size()) + " checks" +
                           (evidence->simulated ? " (SIMULATED evidence, trusted by --trust-sim-root)" : "")
                     : ": approval failed: " + r.error().message()));
        return r ? Outcome::kDone : Outcome::kRetry;
    }
    say(who + ": REJECT: " + d.reason);
    if (auto r = registry_.reject(ev.enclave, ev.registration_id, d.reason); !r) {
        say(who + ": reject failed: " + r.error().message());
        return Outcome::kRetry;
    }
    return Outcome::kDone;
}

cvex::Expected<size_t, ValidatorError> Validator::poll_once() {
    const auto start = Clock::now();
    auto head = registry_.contract().client().block_number();
    if (!head) return cvex::Unexpected{ValidatorError{"block number: " + head.error().message()}};
    std::vector<RegisteredEvent> events;
    if (*head >= next_block_) {
        auto got = registry_.registered_events(next_block_, *head);
        if (!got) return cvex::Unexpected{ValidatorError{got.error().message()}};
        events = std::move(*got);
        next_block_ = *head + 1;
    }
    // New registrations first, then those whose back-off is over; a registration the registry
    // has let expire is forgotten.
    std::vector<RegisteredEvent> work = events;
    for (auto it = waiting_.begin(); it != waiting_.end();) {
        if (start - it->second.first_seen > options_.registration_lifetime) {
            it = waiting_.erase(it);
            continue;
        }
        if (it->second.next_try <= start) work.push_back(it->second.event);
        ++it;
    }
    for (const auto& e : events) waiting_.try_emplace(e.registration_id, Waiting{e, 0, start, start});
    if (work.empty()) return events.size();

    const EvidenceByEnclave from_urls = options_.evidence_urls.empty() ? EvidenceByEnclave{} : fetch_url_evidence();
    const auto deadline = start + options_.poll_budget;
    std::vector<Outcome> outcomes(work.size(), Outcome::kRetry);
    std::vector<char> reached(work.size(), 0);  // not vector<bool>: workers write it concurrently
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i; (i = next++) < work.size() && Clock::now() < deadline;) {
            outcomes[i] = handle(work[i], from_urls);
            reached[i] = 1;
        }
    };
    std::vector<std::thread> pool;
    for (size_t w = 0; w < std::max<size_t>(1, std::min(options_.workers, work.size())); ++w) pool.emplace_back(worker);
    for (auto& t : pool) t.join();

    const auto now = Clock::now();
    for (size_t i = 0; i < work.size(); ++i) {
        auto it = waiting_.find(work[i].registration_id);
        if (it == waiting_.end()) continue;
        if (!reached[i]) continue;  // out of time: first in line next poll (next_try unchanged)
        if (outcomes[i] == Outcome::kDone) {
            waiting_.erase(it);
            continue;
        }
        // Back-off: poll interval × 2^attempts, capped.
        const int a = std::min(++it->second.attempts, 16);
        const auto delay = std::min<std::chrono::milliseconds>(options_.poll_interval * (int64_t{1} << a), options_.max_evidence_backoff);
        it->second.next_try = now + (outcomes[i] == Outcome::kRetry ? options_.poll_interval : delay);
    }
    return events.size();
}

void Validator::run(const std::function<bool()>& stop) {
    while (!stop()) {
        if (auto n = poll_once(); !n) say("poll failed (will retry): " + n.error().message());
        std::this_thread::sleep_for(options_.poll_interval);
    }
}

}  // namespace cvex::attest
