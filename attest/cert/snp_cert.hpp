// AMD's SEV-SNP certificates: loading DER/PEM and reading the VCEK/VLEK extensions (AMD
// "Versioned Chip Endorsement Key (VCEK) Certificate and KDS Interface Specification" §3,
// Table "VCEK Certificate Extensions"; the VLEK spec reuses them and adds cspId):
//   1.3.6.1.4.1.3704.1.1   structVersion   INTEGER
//   1.3.6.1.4.1.3704.1.2   productName     IA5String ("Milan-B0", "Genoa", "Turin")
//   1.3.6.1.4.1.3704.1.3.1 blSPL           INTEGER (boot loader)
//   1.3.6.1.4.1.3704.1.3.2 teeSPL          INTEGER
//   1.3.6.1.4.1.3704.1.3.3 snpSPL          INTEGER
//   1.3.6.1.4.1.3704.1.3.4–.7              reserved SPLs, INTEGER
//   1.3.6.1.4.1.3704.1.3.8 ucodeSPL        INTEGER (microcode)
//   1.3.6.1.4.1.3704.1.3.9 fmcSPL          INTEGER (Turin only)
//   1.3.6.1.4.1.3704.1.4   hwID            raw OCTETs: the CHIP_ID (64 bytes; Turin: its first 8)
//   1.3.6.1.4.1.3704.1.5   cspId           IA5String (VLEK: the cloud provider)
// Each extension's OCTET STRING holds the DER of that value. An SPL is 0–255, encoded as a
// minimal non-negative DER INTEGER (so 0xd1 needs two bytes, 02 02 00 d1).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/expected.hpp"

namespace cvex::attest {

struct AmdCertExtensions {
    std::optional<long> struct_version;
    std::optional<std::string> product_name;
    std::optional<uint8_t> bootloader, tee, snp, microcode, fmc;
    std::optional<cvex::Bytes> hwid;
    std::optional<std::string> csp_id;
};

struct CertError {
    std::string field;   // e.g. "hwID (1.3.6.1.4.1.3704.1.4)", "signer certificate"
    std::string detail;
    std::string message() const { return field + ": " + detail; }
};

/// Every certificate in `input` (one DER certificate, or one or more PEM blocks), as DER.
cvex::Expected<std::vector<cvex::Bytes>, CertError> load_certificates(cvex::ByteView input);
/// Parses one DER certificate's AMD extensions; malformed or duplicated extensions are errors
/// naming the OID.
cvex::Expected<AmdCertExtensions, CertError> parse_amd_extensions(cvex::ByteView der);

}  // namespace cvex::attest
