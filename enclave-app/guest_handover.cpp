// Attested key handover between guests (issue 14 §2), both sides:
//   newcomer: attest a fresh transport key (REPORT_DATA binds keccak256 of it), ask KeyHandover
//             for the key set, wait for a holder's delivery, open it into custody, seal it for
//             the next boot, and attest again, now bound to the key set;
//   holder:   for each request the contract accepted, encrypt the key set to the requester's
//             transport key and post it: the VRF key alone to a replica (a newcomer under the
//             holder's own measurement, the same image), the Ethereum key too to a successor (a
//             newcomer under another measurement governance allowed: an upgrade), after which
//             the holder retires, so two running guests never sign as one address.
// Everything goes through the chain: the host carries only ciphertexts it cannot open.
#include <thread>

#include "attest/report/report_data.hpp"
#include "chain/crypto/keccak.hpp"
#include "enclave-app/guest.hpp"
#include "enclave-app/handover_cipher.hpp"

namespace cvex::enclave {

namespace {

constexpr unsigned kMaxDeliveryAttempts = 3;

std::array<uint8_t, 64> xy_of(const std::array<uint8_t, 65>& uncompressed) {
    std::array<uint8_t, 64> xy{};
    std::copy(uncompressed.begin() + 1, uncompressed.end(), xy.begin());
    return xy;
}

long long ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

bool Guest::receive_key_set(const std::function<bool()>& stop) {
    const chain::Hash32 key_set = *config_.handover.receive;
    auto transport = custody_->generate_secp256k1();
    if (!transport) {
        log_("handover: transport key: " + transport.error().message());
        return false;
    }
    // The transport key serves this one handover; custody wipes it on every way out.
    struct Release {
        KeyCustody& custody;
        KeyHandle handle;
        ~Release() { custody.release(handle); }
    } release{*custody_, *transport};
    const std::array<uint8_t, 64> xy = xy_of(*custody_->public_key(*transport));
    log_("key set " + key_set.hex() + " is not held here: asking KeyHandover " + handover_->address().checksum_hex() +
         " for it, first attesting a fresh transport key (bound data " + attest::point_key_hash(xy).hex() + ")");
    // Trust decision: the transport key is born in this guest and bound into its REPORT_DATA; the
    // contract lets only a key attested so, under a measurement allowed for the key set, ask.
    if (!register_and_wait(stop, false, *transport)) return false;
    attested_ = false;  // attested with the transport key only: no workload runs on it
    const auto transport_attested = std::chrono::steady_clock::now();
    set_state("awaiting-handover");
    auto from = eth_->block_number();
    if (!from) {
        log_("handover: " + from.error().message());
        return false;
    }
    auto accepted = handover_->request_keys(key_set, xy);
    if (!accepted) {
        log_("handover: requestKeys failed: " + accepted.error().message());
        return false;
    }
    if (!*accepted) {
        auto a = registry_->attestation_of(address());
        log_("handover REFUSED on chain: measurement " + (a ? a->measurement_id.hex() : std::string("(unread)")) + " may not receive key set " +
             key_set.hex() + " (HandoverRefused, KeyHandover " + handover_->address().checksum_hex() +
             "); its owner must allow the measurement first");
        set_state("handover-refused");
        return false;
    }
    log_("handover requested: waiting up to " + std::to_string(config_.handover.timeout_s) + " s for a holder of key set " + key_set.hex());
    const auto deadline = transport_attested + std::chrono::seconds(config_.handover.timeout_s);
    while (!stop() && std::chrono::steady_clock::now() < deadline) {
        auto head = eth_->block_number();
        auto got = head ? handover_->deliveries(key_set, address(), *from, *head) : cvex::Unexpected{chain::ContractError{head.error().message(), std::nullopt}};
        if (!got || got->empty()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            continue;
        }
        if (!adopt_delivery(got->front(), *transport)) return false;
        if (!register_and_wait(stop, false)) return false;
        log_("handover complete: serving key set " + key_set.hex() + ", " + std::to_string(ms_since(transport_attested)) +
             " ms after the transport key was attested");
        return true;
    }
    if (!stop()) log_("handover: no holder delivered key set " + key_set.hex() + " within " + std::to_string(config_.handover.timeout_s) + " s");
    return false;
}

bool Guest::adopt_delivery(const attest::HandoverDelivery& delivery, KeyHandle transport) {
    const chain::Hash32 key_set = *config_.handover.receive;
    auto keys = decrypt_key_set(*custody_, transport, key_set, address(), delivery.ciphertext);
    if (!keys) {
        log_("handover: the delivery from " + delivery.holder.checksum_hex() + " does not open: " + keys.error().message());
        return false;
    }
    // One key (the VRF key): a replica. Two (Ethereum, VRF): a successor.
    bool is_key_set = keys->size() == 1 || keys->size() == 2;
    if (is_key_set) {
        auto pub = custody_->public_key(keys->back());
        is_key_set = pub && attest::point_key_hash(xy_of(*pub)) == key_set;
    }
    if (!is_key_set) {
        for (KeyHandle h : *keys) custody_->release(h);
        log_("handover: the delivery from " + delivery.holder.checksum_hex() + " is not key set " + key_set.hex() + " (" +
             std::to_string(keys->size()) + " keys)");
        return false;
    }
    if (keys->size() == 2 && !become_successor(keys->front())) {
        custody_->release(keys->back());
        return false;
    }
    custody_->release(vrf_key_);  // the key generated at boot never served anything
    {
        std::lock_guard lock(mutex_);
        vrf_key_ = keys->back();
        vrf_key_hash_ = key_set;
        key_origin_ = GuestKeys::Origin::kHandedOver;
    }
    log_("handover: received key set " + key_set.hex() + " from holder " + delivery.holder.checksum_hex() + " (block " +
         std::to_string(delivery.block_number) + ")");
    if (config_.state_dir) {
        if (auto sealed = seal_key_set(*provider_, *custody_, *config_.state_dir, eth_key_, vrf_key_); sealed)
            log_("sealed the received key set with this guest's Ethereum key (" + address().checksum_hex() + ") into " + *config_.state_dir +
                 "/" + kSealedKeysFile);
        else
            log_("WARNING: the received key set is not sealed (" + sealed.error().message() + "): a restart asks for it again");
    }
    return true;
}

bool Guest::become_successor(KeyHandle eth) {
    auto signer = CustodySigner::create(*custody_, eth);
    if (!signer) {
        log_("handover: the holder's Ethereum key: " + signer.error().message());
        custody_->release(eth);
        return false;
    }
    auto shared = std::make_shared<CustodySigner>(*signer);
    auto sender = chain::Sender::create(eth_, shared, sender_options());
    if (!sender) {
        log_("handover: a Sender for " + shared->address().checksum_hex() + ": " + sender.error().message());
        custody_->release(eth);
        return false;
    }
    // The boot key only paid for the transport key's attestation (its bond came back then): its
    // balance goes to the address this guest now is, so no gas money is stranded with it.
    const chain::Address boot = address(), adopted = shared->address();
    auto balance = eth_->balance(boot);
    auto fees = sender_->current_fees();
    // A plain transfer costs 21,000 gas (Yellow Paper G_transaction), paid at most at the max fee.
    const auto cost = fees ? fees->second.checked_mul(chain::U256(21'000)) : std::nullopt;
    const auto value = balance && cost ? balance->checked_sub(*cost) : std::nullopt;
    if (value && !value->is_zero()) {
        auto swept = sender_->send_and_wait(chain::TxRequest{adopted, *value, {}, 21'000});
        log_(swept ? "handover: swept " + value->dec() + " wei from the boot key " + boot.checksum_hex() + " to " + adopted.checksum_hex()
                   : "WARNING: handover: sweeping the boot key " + boot.checksum_hex() + " failed: " + swept.error().message());
    }
    signer_ = std::move(shared);
    sender_ = std::shared_ptr<chain::Sender>(std::move(*sender));
    registry_ = std::make_unique<attest::RegistryClient>(config_.registry, eth_, sender_);
    handover_ = std::make_unique<attest::KeyHandoverClient>(*config_.key_handover, eth_, sender_);
    custody_->release(eth_key_);
    eth_key_ = eth;
    {
        std::lock_guard lock(address_mutex_);
        address_ = adopted;
    }
    log_("handover: this guest succeeds " + adopted.checksum_hex() + ": it signs with that key from now on (the holder retires)");
    return true;
}

bool Guest::scan_handover_requests(uint64_t head) {
    if (head < handover_scanned_to_) return true;
    auto requests = handover_->requests(vrf_key_hash_, handover_scanned_to_, head);
    if (!requests) {
        log_("handover: reading requests: " + requests.error().message());
        return false;
    }
    for (const auto& r : *requests)  // a newer request from the same newcomer replaces its transport key
        if (r.newcomer != address()) handover_pending_[r.newcomer] = PendingHandover{r.transport_xy, 0};
    handover_scanned_to_ = head + 1;
    return true;
}

void Guest::serve_handovers() {
    if (!handover_ || !attested_ || retired_) return;
    auto head = eth_->block_number();
    if (!head || !scan_handover_requests(*head)) return;
    if (handover_pending_.empty()) return;
    // Same measurement as this guest's: a replica, which keeps its own Ethereum key. Another
    // (allowed) measurement: an upgrade, the successor, which takes the Ethereum key too.
    auto own = registry_->attestation_of(address());
    if (!own) return;
    for (auto it = handover_pending_.begin(); it != handover_pending_.end();) {
        const chain::Address newcomer = it->first;
        auto record = handover_->request_of(vrf_key_hash_, newcomer);
        if (!record) {
            ++it;
            continue;
        }
        // Served already (here or by another holder), or this event's transport key is not the
        // one the contract holds for the newcomer now.
        if (record->requested_at == 0 || record->delivered_at != 0 ||
            chain::keccak256(cvex::ByteView(it->second.transport_xy.data(), 64)) != record->transport_key_hash) {
            it = handover_pending_.erase(it);
            continue;
        }
        // Trust decision: the contract re-checks at delivery that the newcomer is still attested
        // with this transport key under an allowed measurement, and reverts otherwise; only that
        // attested guest holds the transport key's secret, so the ciphertext opens nowhere else.
        const bool successor = record->measurement_id != own->measurement_id;
        const std::array<KeyHandle, 2> both{eth_key_, vrf_key_};
        auto envelope = encrypt_key_set(it->second.transport_xy, vrf_key_hash_, newcomer, *custody_,
                                        successor ? std::span<const KeyHandle>(both) : std::span<const KeyHandle>(both).subspan(1));
        auto delivered = envelope ? handover_->deliver_keys(vrf_key_hash_, newcomer, *envelope)
                                  : cvex::Unexpected{chain::ContractError{"encrypting: " + envelope.error().message(), std::nullopt}};
        if (delivered) {
            log_("handover: delivered key set " + vrf_key_hash_.hex() + (successor ? " and this guest's Ethereum key" : "") + " to " +
                 newcomer.checksum_hex() + " (measurement " + record->measurement_id.hex() + "), encrypted to its attested transport key, in tx " +
                 delivered->transaction_hash.hex());
            it = handover_pending_.erase(it);
            if (successor) {
                retired_ = true;
                log_("retired: " + newcomer.checksum_hex() + " (measurement " + record->measurement_id.hex() + ") succeeds this guest as " +
                     address().checksum_hex() + "; stopping, so that two running guests never sign as one address");
                return;
            }
        } else if (++it->second.attempts >= kMaxDeliveryAttempts) {
            log_("handover: giving up on " + newcomer.checksum_hex() + " after " + std::to_string(kMaxDeliveryAttempts) +
                 " attempts: " + delivered.error().message());
            it = handover_pending_.erase(it);
        } else {
            log_("handover: delivering to " + newcomer.checksum_hex() + " failed (will retry): " + delivered.error().message());
            ++it;
        }
    }
}

}  // namespace cvex::enclave
