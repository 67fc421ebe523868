#include "chain/encoding/known_errors.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

namespace cvex::chain {

namespace {

std::mutex& writer_mutex() {
    static std::mutex m;
    return m;
}

std::shared_ptr<const std::vector<AbiSignature>>& current() {
    static std::shared_ptr<const std::vector<AbiSignature>> list = std::make_shared<const std::vector<AbiSignature>>();
    return list;
}

}  // namespace

void register_known_errors(const std::vector<AbiSignature>& errors) {
    const std::lock_guard lock(writer_mutex());
    auto next = std::make_shared<std::vector<AbiSignature>>(*std::atomic_load(&current()));
    for (const auto& e : errors) {
        const auto sel = e.selector();
        if (std::none_of(next->begin(), next->end(), [&](const AbiSignature& k) { return k.selector() == sel; })) next->push_back(e);
    }
    std::atomic_store(&current(), std::shared_ptr<const std::vector<AbiSignature>>(std::move(next)));
}

std::shared_ptr<const std::vector<AbiSignature>> known_errors() { return std::atomic_load(&current()); }

}  // namespace cvex::chain
