#include "attest/measure/sev_hashes.hpp"

#include <algorithm>

namespace cvex::attest::measure {
namespace {

void put_le16(uint8_t* p, size_t v) {
    p[0] = static_cast<uint8_t>(v);
    p[1] = static_cast<uint8_t>(v >> 8);
}

}  // namespace

std::array<uint8_t, kPaddedSevHashTableSize> SevHashes::table() const {
    std::array<uint8_t, kPaddedSevHashTableSize> t{};
    std::copy(kSevHashTableHeaderGuid.begin(), kSevHashTableHeaderGuid.end(), t.begin());
    put_le16(&t[16], kSevHashTableSize);  // the unpadded length, as QEMU writes it
    // QEMU's order: command line, initrd, kernel.
    const std::pair<const Guid*, const Sha256Digest*> entries[] = {
        {&kSevCmdlineEntryGuid, &cmdline}, {&kSevInitrdEntryGuid, &initrd}, {&kSevKernelEntryGuid, &kernel}};
    uint8_t* e = &t[18];
    for (const auto& [g, h] : entries) {
        std::copy(g->begin(), g->end(), e);
        put_le16(e + 16, kSevHashEntrySize);
        std::copy(h->begin(), h->end(), e + 18);
        e += kSevHashEntrySize;
    }
    return t;
}

std::optional<std::array<uint8_t, kPageSize>> SevHashes::page(size_t offset) const {
    if (offset > kPageSize - kPaddedSevHashTableSize) return std::nullopt;
    std::array<uint8_t, kPageSize> p{};
    const auto t = table();
    std::copy(t.begin(), t.end(), p.begin() + static_cast<long>(offset));
    return p;
}

}  // namespace cvex::attest::measure
