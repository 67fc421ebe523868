// Reading the boot inputs: regular files only (a FIFO or a device could block or never end), each
// with an upper bound, and /dev/null accepted as the empty file (as the reference's own tests
// use it). Firmware is read whole (its pages are measured one by one); a kernel or an initrd is
// streamed through its hashes in 1 MiB blocks and never held in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attest/measure/measure_error.hpp"
#include "attest/measure/sha.hpp"
#include "base/expected.hpp"

namespace cvex::attest::measure {

/// Bounds: firmware images are flash-sized (OVMF 2–4 MiB, a Coconut SVSM ~1 MiB) and sit below
/// 4 GiB; a kernel or initrd QEMU loads must fit in a guest's low memory.
inline constexpr uint64_t kMaxFirmwareSize = 64ull << 20;
inline constexpr uint64_t kMaxBootFileSize = 4ull << 30;

/// The whole file, refused if it is not a regular file or is larger than `max_size`. `subject`
/// names the input in errors ("--ovmf /x/OVMF.fd").
Expected<std::vector<uint8_t>, MeasureError> read_input_file(const std::string& path, const std::string& subject,
                                                                   uint64_t max_size);

struct FileDigests {
    uint64_t size = 0;
    Sha256Digest sha256{};
    std::optional<Sha384Digest> sha384;  // only when asked for
};

/// SHA-256 (and SHA-384 when `with_sha384`) of a file read once, streaming.
Expected<FileDigests, MeasureError> digest_input_file(const std::string& path, const std::string& subject,
                                                            uint64_t max_size, bool with_sha384);

/// The size of a regular file (for --vars-file, whose contents are not measured).
Expected<uint64_t, MeasureError> input_file_size(const std::string& path, const std::string& subject,
                                                       uint64_t max_size);

}  // namespace cvex::attest::measure
