// SEV-SNP product lines and the TCB_VERSION they report (AMD SEV-SNP ABI spec, "TCB_VERSION
// Structure": one 64-bit value of security patch levels whose byte layout differs by product).
//   Milan, Genoa: byte 0 boot loader, 1 TEE, 2–5 reserved, 6 SNP firmware, 7 microcode.
//   Turin:        byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP firmware, 4–6 reserved, 7 microcode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cvex::attest {

enum class SnpProduct { kMilan, kGenoa, kTurin };

/// "Milan", "Genoa", "Turin", also with a stepping suffix as in AMD's certificates ("Milan-B0").
std::optional<SnpProduct> parse_snp_product(std::string_view name);
std::string_view to_string(SnpProduct product);

/// The product a v3+ report's CPUID_FAM_ID / CPUID_MOD_ID name (family 19h: models 00h–0Fh
/// Milan, 10h–1Fh and A0h–AFh Genoa; family 1Ah: Turin). nullopt for anything else.
std::optional<SnpProduct> product_from_cpuid(uint8_t family, uint8_t model);

enum class TcbLayout { kMilanGenoa, kTurin };
inline TcbLayout tcb_layout(SnpProduct p) { return p == SnpProduct::kTurin ? TcbLayout::kTurin : TcbLayout::kMilanGenoa; }

/// A TCB_VERSION split into its security patch levels. `fmc` exists on Turin only (0 elsewhere).
struct TcbParts {
    uint8_t fmc = 0;
    uint8_t bootloader = 0;
    uint8_t tee = 0;
    uint8_t snp = 0;
    uint8_t microcode = 0;
    bool operator==(const TcbParts&) const = default;
};

TcbParts decode_tcb(uint64_t raw, TcbLayout layout);
uint64_t encode_tcb(const TcbParts& parts, TcbLayout layout);
/// "bl=3 tee=0 snp=8 ucode=115" (with "fmc=…" first on Turin).
std::string describe_tcb(const TcbParts& parts, TcbLayout layout);
/// 0x-prefixed 16-digit hex of a raw TCB_VERSION, as the vectors write it.
std::string tcb_hex(uint64_t raw);

}  // namespace cvex::attest
