// The Sender's write-ahead journal: every broadcast appended (and fdatasync'ed) before the node
// sees it, and on start the journal replayed against the chain — open nonces re-broadcast or
// tracked again, settled ones reported — then compacted to what is still open.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "chain/rpc/sender.hpp"
#include "chain/rpc/sender_internal.hpp"

namespace cvex::chain {

using sender_detail::contains;
using sender_detail::rpc_failure;
using Clock = std::chrono::steady_clock;

namespace {

// One broadcast: the raw signed transaction (public data, never a key) and, when it went through
// a named send route, the route's name, so that a restart re-broadcasts it the same way.
std::string journal_line(const Transaction& tx, const std::string& route) {
    nlohmann::json j{{"nonce", tx.nonce}, {"hash", tx.hash().hex()}, {"raw", to_hex(tx.encode())}};
    if (!route.empty()) j["route"] = route;
    return j.dump() + "\n";
}

struct JournaledTx {
    Transaction tx;
    std::string route;
};

// The journal's transactions from `sender`, by nonce, every version in order; none when the
// journal names another chain's genesis.
std::map<uint64_t, std::vector<JournaledTx>> read_journal(const std::string& path, const std::string& genesis_hex, const Address& sender) {
    std::map<uint64_t, std::vector<JournaledTx>> versions;
    bool other_chain = false;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.contains("genesis") && j["genesis"].is_string() && j["genesis"].get<std::string>() != genesis_hex)
            other_chain = true;
        if (j.is_discarded() || !j.contains("raw")) continue;  // a torn last line after a crash
        auto raw = from_hex(j.at("raw").get<std::string>());
        if (!raw) continue;
        auto tx = decode_transaction(*raw);
        if (!tx || tx->sender() != sender) continue;
        const std::string route = j.contains("route") && j["route"].is_string() ? j["route"].get<std::string>() : "";
        versions[tx->nonce].push_back(JournaledTx{std::move(*tx), route});
    }
    if (other_chain) versions.clear();
    return versions;
}

void rewrite_journal(const std::string& path, const std::string& genesis_hex, const std::vector<JournaledTx>& open) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << nlohmann::json{{"genesis", genesis_hex}}.dump() << "\n";
        for (const JournaledTx& t : open) out << journal_line(t.tx, t.route);
    }
    std::rename(tmp.c_str(), path.c_str());
}

}  // namespace

void Sender::journal(const Transaction& tx, const std::string& route) {
    if (journal_fd_ < 0) return;
    const std::string line = journal_line(tx, route);
    std::lock_guard lock(journal_mutex_);
    // Write-ahead: on disk before the node sees it, so no crash can lose a broadcast.
    if (::write(journal_fd_, line.data(), line.size()) == static_cast<ssize_t>(line.size())) ::fdatasync(journal_fd_);
}

Expected<void, SendError> Sender::recover_journal() {
    // A journal belongs to one chain: development chains restart with the same chain id, and
    // replaying another chain's transactions there would act twice. The genesis hash tells them apart.
    auto genesis = client_->block_by_number(BlockTag::number(0));
    if (!genesis) return Unexpected{rpc_failure(genesis.error())};
    const std::string genesis_hex = *genesis ? (*genesis)->hash.hex() : std::string();
    auto versions = read_journal(options_.journal_path, genesis_hex, address());
    auto mined = client_->transaction_count(address(), BlockTag::latest());
    if (!mined) return Unexpected{rpc_failure(mined.error())};
    for (auto& [nonce, txs] : versions) {
        if (nonce < *mined) continue;  // settled before this run; nothing to do
        // Still open: is any version known to the node? If not, send the newest again — the way
        // it went (a private route's transaction is unknown to the read node by design, and must
        // never be re-broadcast to its public mempool; broadcast() refuses a route not configured).
        bool known = false;
        for (const auto& t : txs)
            if (auto info = client_->transaction_by_hash(t.tx.hash()); info && *info) known = true;
        const JournaledTx& newest = txs.back();
        RecoveredTx r{nonce, newest.tx.hash(), known ? RecoveredTx::kPending : RecoveredTx::kRebroadcast};
        if (!known) {
            auto h = broadcast(newest.tx, newest.route);
            if (!h && contains(h.error().detail, "nonce too low")) r.state = RecoveredTx::kMined;
            else if (!route_client(newest.route)) r.state = RecoveredTx::kPending;  // its route is gone: held, not leaked
        }
        std::vector<Hash32> hashes;
        for (const auto& t : txs) hashes.push_back(t.tx.hash());
        in_flight_[nonce] = InFlight{newest.tx, hashes, Clock::now(), 0, newest.route};
        recovered_.push_back(r);
    }
    // Nonces below the chain's count that the journal had open were mined (ours or not).
    for (auto& [nonce, txs] : versions) {
        if (nonce >= *mined) continue;
        bool ours = false;
        for (const auto& t : txs)
            if (auto rc = client_->transaction_receipt(t.tx.hash()); rc && *rc) ours = true;
        recovered_.push_back({nonce, txs.back().tx.hash(), ours ? RecoveredTx::kMined : RecoveredTx::kReplacedExternally});
    }
    std::sort(recovered_.begin(), recovered_.end(), [](const RecoveredTx& a, const RecoveredTx& b) { return a.nonce < b.nonce; });
    auto pending = client_->transaction_count(address(), BlockTag::pending());
    if (!pending) return Unexpected{rpc_failure(pending.error())};
    next_nonce_ = std::max(*pending, in_flight_.empty() ? 0 : in_flight_.rbegin()->first + 1);

    // Compact: keep only what is still open, then append from here on.
    std::vector<JournaledTx> open;
    for (const auto& [nonce, f] : in_flight_) open.push_back(JournaledTx{f.tx, f.route});
    rewrite_journal(options_.journal_path, genesis_hex, open);
    journal_fd_ = ::open(options_.journal_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (journal_fd_ < 0) return Unexpected{SendError{SendError::kRpc, "cannot open journal " + options_.journal_path, std::nullopt}};
    return {};
}

}  // namespace cvex::chain
