#include "vrf/src/secret_scratch.hpp"

#include <openssl/crypto.h>

#include "base/secure_memory.hpp"

namespace cvex::vrf::detail {

namespace {

struct Arena {
    std::optional<cvex::LockedRegion> region;
    size_t used = 0;
    bool tried = false;
};

Arena& arena() {
    thread_local Arena a;
    if (!a.tried) {
        a.tried = true;
        auto r = cvex::LockedRegion::allocate(4096);
        if (r) a.region.emplace(std::move(*r));
    }
    return a;
}

}  // namespace

std::optional<ScratchBytes> ScratchBytes::take(size_t n) {
    Arena& a = arena();
    if (!a.region || n > a.region->size() - a.used) return std::nullopt;
    std::span<uint8_t> s(a.region->data() + a.used, n);
    a.used += n;
    return ScratchBytes(s);
}

ScratchBytes::~ScratchBytes() {
    if (bytes_.empty()) return;
    OPENSSL_cleanse(bytes_.data(), bytes_.size());
    arena().used -= bytes_.size();
}

}  // namespace cvex::vrf::detail
