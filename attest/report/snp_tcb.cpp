#include "attest/report/snp_tcb.hpp"

#include <cstdio>

namespace cvex::attest {

std::optional<SnpProduct> parse_snp_product(std::string_view name) {
    // AMD's VCEK productName extension carries the stepping ("Milan-B0"); the KDS path does not.
    const std::string_view base = name.substr(0, name.find('-'));
    if (base == "Milan") return SnpProduct::kMilan;
    if (base == "Genoa") return SnpProduct::kGenoa;
    if (base == "Turin") return SnpProduct::kTurin;
    return std::nullopt;
}

std::string_view to_string(SnpProduct product) {
    switch (product) {
        case SnpProduct::kMilan: return "Milan";
        case SnpProduct::kGenoa: return "Genoa";
        case SnpProduct::kTurin: return "Turin";
    }
    return "?";
}

std::optional<SnpProduct> product_from_cpuid(uint8_t family, uint8_t model) {
    // CPUID Fn0000_0001_EAX extended family/model as the firmware copies them into the report
    // (SNP ABI, ATTESTATION_REPORT CPUID_FAM_ID/CPUID_MOD_ID, report version 3 and later).
    if (family == 0x19) {
        if (model <= 0x0F) return SnpProduct::kMilan;
        if ((model >= 0x10 && model <= 0x1F) || (model >= 0xA0 && model <= 0xAF)) return SnpProduct::kGenoa;
        return std::nullopt;
    }
    if (family == 0x1A && model <= 0x1F) return SnpProduct::kTurin;
    return std::nullopt;
}

TcbParts decode_tcb(uint64_t raw, TcbLayout layout) {
    auto b = [raw](int i) { return static_cast<uint8_t>(raw >> (8 * i)); };
    if (layout == TcbLayout::kTurin) return {b(0), b(1), b(2), b(3), b(7)};
    return {0, b(0), b(1), b(6), b(7)};
}

uint64_t encode_tcb(const TcbParts& p, TcbLayout layout) {
    auto at = [](uint8_t v, int i) { return static_cast<uint64_t>(v) << (8 * i); };
    if (layout == TcbLayout::kTurin) return at(p.fmc, 0) | at(p.bootloader, 1) | at(p.tee, 2) | at(p.snp, 3) | at(p.microcode, 7);
    return at(p.bootloader, 0) | at(p.tee, 1) | at(p.snp, 6) | at(p.microcode, 7);
}

std::string describe_tcb(const TcbParts& p, TcbLayout layout) {
    std::string s = layout == TcbLayout::kTurin ? "fmc=" + std::to_string(p.fmc) + " " : "";
    return s + "bl=" + std::to_string(p.bootloader) + " tee=" + std::to_string(p.tee) + " snp=" + std::to_string(p.snp) +
           " ucode=" + std::to_string(p.microcode);
}

std::string tcb_hex(uint64_t raw) {
    char buf[19];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(raw));
    return buf;
}

}  // namespace cvex::attest
