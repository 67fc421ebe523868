// The one error type of the launch-measurement library: what went wrong (a kind a caller can
// branch on), which input it concerns, and a message naming both.
#pragma once

#include <string>

namespace cvex::attest::measure {

struct MeasureError {
    enum class Kind {
        kInvalidArgument,   // a parameter out of range or not valid for the mode
        kUnreadableFile,    // open/read failed
        kNotRegularFile,    // a directory, FIFO, device…: refused before reading
        kFileTooLarge,      // over the bound for that input
        kTruncated,         // shorter than the structure it declares
        kNoFooterTable,     // not an OVMF/SVSM image: no GUIDed footer table at its end
        kMalformedFirmware, // footer table or SEV metadata inconsistent
        kNoKernelHashes,    // a kernel given, but the firmware cannot measure one
        kUnsupported,       // a combination the reference refuses (SVSM with a non-QEMU VMM)
        kCrypto,            // OpenSSL failed (out of memory)
    };
    Kind kind;
    std::string subject;  // the input, e.g. "--ovmf /srv/OVMF.fd" or "--vcpus"; may be empty
    std::string detail;

    std::string message() const { return subject.empty() ? detail : subject + ": " + detail; }
};

}  // namespace cvex::attest::measure
