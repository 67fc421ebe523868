#include "oracle/request_book.hpp"

#include <algorithm>

namespace cvex::oracle {

RequestBook::Added RequestBook::add(const VrfRequest& request) {
    auto it = entries_.find(request.request_id);
    if (it == entries_.end()) {
        entries_.emplace(request.request_id, Entry{request});
        return Added::kNew;
    }
    if (it->second.request.block_hash == request.block_hash && it->second.request.log_index == request.log_index) return Added::kSeen;
    // Re-included elsewhere (or a different request took the id after a reorg): a fresh entry,
    // since whatever was submitted for the old one can no longer match its commitment.
    it->second = Entry{request};
    return Added::kMoved;
}

std::vector<chain::U256> RequestBook::drop_after(uint64_t fork_block) {
    std::vector<chain::U256> dropped;
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (it->second.request.block_number > fork_block) {
            dropped.push_back(it->first);
            it = entries_.erase(it);
        } else {
            ++it;
        }
    }
    return dropped;
}

std::optional<VrfRequest> RequestBook::remove(const chain::U256& id) {
    auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    VrfRequest r = std::move(it->second.request);
    entries_.erase(it);
    return r;
}

uint64_t RequestBook::ready_at(const VrfRequest& r) const { return r.block_number + std::max<uint64_t>(r.min_confirmations, min_confirmations_); }

std::vector<VrfRequest> RequestBook::ready(uint64_t head, size_t max) const {
    std::vector<const Entry*> ready;
    for (const auto& [id, e] : entries_)
        if (!e.submitted && ready_at(e.request) <= head && e.retry_at <= head) ready.push_back(&e);
    std::stable_sort(ready.begin(), ready.end(), [this](const Entry* a, const Entry* b) { return ready_at(a->request) < ready_at(b->request); });
    std::vector<VrfRequest> out;
    for (size_t i = 0; i < ready.size() && i < max; ++i) out.push_back(ready[i]->request);
    return out;
}

void RequestBook::mark_submitted(const chain::U256& id) {
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    it->second.submitted = true;
}

void RequestBook::release(const chain::U256& id, uint64_t retry_at) {
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    it->second.submitted = false;
    it->second.retry_at = retry_at;
}

uint64_t RequestBook::fail(const chain::U256& id, uint64_t block, uint64_t base_blocks) {
    constexpr uint32_t kMaxDoublings = 6;
    auto it = entries_.find(id);
    if (it == entries_.end()) return block;
    Entry& e = it->second;
    const uint64_t retry_at = block + std::max<uint64_t>(base_blocks, 1) * (uint64_t{1} << std::min(e.failures, kMaxDoublings));
    ++e.failures;
    e.submitted = false;
    e.retry_at = retry_at;
    return retry_at;
}

uint32_t RequestBook::failures(const chain::U256& id) const {
    auto it = entries_.find(id);
    return it == entries_.end() ? 0 : it->second.failures;
}

const VrfRequest* RequestBook::find(const chain::U256& id) const {
    auto it = entries_.find(id);
    return it == entries_.end() ? nullptr : &it->second.request;
}

bool RequestBook::submitted(const chain::U256& id) const {
    auto it = entries_.find(id);
    return it != entries_.end() && it->second.submitted;
}

size_t RequestBook::in_flight() const {
    return static_cast<size_t>(std::count_if(entries_.begin(), entries_.end(), [](const auto& kv) { return kv.second.submitted; }));
}

std::optional<uint64_t> RequestBook::oldest_block() const {
    std::optional<uint64_t> oldest;
    for (const auto& [id, e] : entries_)
        if (!oldest || e.request.block_number < *oldest) oldest = e.request.block_number;
    return oldest;
}

std::vector<VrfRequest> RequestBook::all() const {
    std::vector<VrfRequest> out;
    for (const auto& [id, e] : entries_) out.push_back(e.request);
    return out;
}

}  // namespace cvex::oracle
