// The SEV hashes table of measured direct boot: QEMU hashes the kernel, initrd and command line
// it loads (SHA-256) and writes this table into the page the firmware's kernel-hashes section
// names; OVMF checks the files it is handed against it, and the page is measured like any other.
// Layout: QEMU target/i386/sev.c (SevHashTable, PaddedSevHashTable); GUIDs: OVMF
// OvmfPkg/AmdSev/BlobVerifierLibSevHashes (SEV_HASH_TABLE_GUID and the entry GUIDs).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "attest/measure/guid.hpp"
#include "attest/measure/launch_digest.hpp"
#include "attest/measure/sha.hpp"

namespace cvex::attest::measure {

inline constexpr Guid kSevHashTableHeaderGuid = guid("9438d606-4f22-4cc9-b479-a793d411fd21");
inline constexpr Guid kSevKernelEntryGuid = guid("4de79437-abd2-427f-b835-d5b172d2045b");
inline constexpr Guid kSevInitrdEntryGuid = guid("44baf731-3a2f-4bd7-9af1-41e29169781d");
inline constexpr Guid kSevCmdlineEntryGuid = guid("97d02dd8-bd20-4c94-aa78-e7714d36ab2a");

/// Entry: GUID + u16 length + SHA-256 = 50 bytes; table: GUID + u16 length + 3 entries = 168,
/// padded to a multiple of 16 = 176 (QEMU's PaddedSevHashTable).
inline constexpr size_t kSevHashEntrySize = 16 + 2 + 32;
inline constexpr size_t kSevHashTableSize = 16 + 2 + 3 * kSevHashEntrySize;
inline constexpr size_t kPaddedSevHashTableSize = (kSevHashTableSize + 15) & ~size_t{15};

struct SevHashes {
    Sha256Digest kernel{};   // of the whole kernel file
    Sha256Digest initrd{};   // of the initrd, or of nothing without one
    Sha256Digest cmdline{};  // of the command line with its terminating NUL, as QEMU passes it

    std::array<uint8_t, kPaddedSevHashTableSize> table() const;
    /// A page holding the table at `offset`; nullopt if it would not fit in the page.
    std::optional<std::array<uint8_t, kPageSize>> page(size_t offset) const;
};

}  // namespace cvex::attest::measure
